"""Find a font file with Chinese glyphs for VTK text (VTK's built-in fonts have none).

The search lives in :mod:`twin_app.core.fonts` so that Qt-free, VTK-free code (the PDF meeting
report in ``twin_app.io``) uses the same font as the 3D labels; this module keeps the render
layer's import path.
"""

from twin_app.core.fonts import find_cjk_font

__all__ = ["find_cjk_font"]
