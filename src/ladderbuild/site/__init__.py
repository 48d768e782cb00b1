"""The HTML handbook: pages, ladder diagram, matrix, comparison and search, as static offline files.

`render_site` is what build.py calls. The pieces, each usable on its own:
`pages` (what pages exist and how one is written), `views` (the facts a page
shows), `fragments` (Markdown rendered once, placed anywhere), `diagram` (the
ladder as SVG geometry), `glossary` (term links), `search` (the lunr index).
"""

from .pages import page_workers, render_site

__all__ = ["page_workers", "render_site"]
