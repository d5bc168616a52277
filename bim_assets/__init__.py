"""IFC models of the works and the deterministic scripts that author them.

Not part of the installed ``twin_app`` package: the scripts are run from a checkout, for example
``python bim_assets/xinchuansha/build_xinchuansha.py``.  See ``bim_assets/README.md``.
"""
