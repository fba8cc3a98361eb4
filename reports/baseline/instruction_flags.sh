# shellcheck shell=bash
# The flags of the regression gate on instruction counts: the selection
# reports/baseline/record.sh records instructions.json with, and .ci/run
# gates with. Both source this file, so the two cannot drift apart.
instruction_flags=(--quick --scale 0.5 --workload voice,shared-prefix-many --encoding cl100k_base --repeat 1
                   --metric instructions --no-plot)
