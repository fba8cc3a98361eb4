# Copyright flashtok authors. SPDX-License-Identifier: MIT
"""Builds the native module flashtok._flashtok with CMake (pyproject.toml has the metadata).

Only the library and the module are built (no CLI, tests or benchmarks), for
the Python that runs this script. FLASHTOK_BUILD_JOBS sets the build's
parallelism (default 2).
"""
import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = pathlib.Path(self.build_temp).resolve() / "cmake"
        subprocess.check_call([
            "cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
            "-DFLASHTOK_BUILD_PYTHON=ON", "-DFLASHTOK_BUILD_CLI=OFF", "-DFLASHTOK_BUILD_TESTS=OFF",
            "-DFLASHTOK_BUILD_BENCHMARKS=OFF", "-DFLASHTOK_INSTALL=OFF", f"-DPython_EXECUTABLE={sys.executable}",
        ] + (["-G", "Ninja"] if shutil.which("ninja") else []))
        jobs = os.environ.get("FLASHTOK_BUILD_JOBS", "2")
        subprocess.check_call(["cmake", "--build", str(build), "--target", "flashtok_python", "--parallel", jobs])
        built = build / "python" / "flashtok" / ("_flashtok" + sysconfig.get_config_var("EXT_SUFFIX"))
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(ext_modules=[Extension("flashtok._flashtok", sources=[])], cmdclass={"build_ext": CMakeBuild})
