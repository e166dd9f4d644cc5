"""Package layout: the code under src/, and resources/ at the top of the repository installed as the
package ontkoppel_desktop.resources, so importlib.resources finds it (also when frozen by PyInstaller)."""

from setuptools import find_packages, setup

resource_packages = ["ontkoppel_desktop.resources"] + [
    "ontkoppel_desktop.resources." + name for name in find_packages("resources")
]

setup(
    packages=find_packages("src") + resource_packages,
    package_dir={"": "src", "ontkoppel_desktop.resources": "resources"},
    package_data={"ontkoppel_desktop.resources": ["**/*"]},
    include_package_data=True,
)
