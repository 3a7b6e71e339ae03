"""Build each addon's static/description/index.html from its readme/*.md fragments.

python scripts/readme_html.py
"""

import html
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = {
    "aftersales_service": "After-Sales Service",
    "aftersales_supplier": "After-Sales Supplier Claims",
    "aftersales_survey": "After-Sales Surveys and Revisits",
}
LIST_ITEM = re.compile(r"^(\d+\.|-)\s+")


def inline(text):
    text = html.escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"\*(.+?)\*", r"<em>\1</em>", text)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", text)


def markdown(text):
    """The small part of Markdown our readme fragments use: paragraphs and lists."""
    blocks = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in para.splitlines()]
        if not LIST_ITEM.match(lines[0]):
            blocks.append(f"<p>{inline(' '.join(lines))}</p>")
            continue
        items = []
        for line in lines:
            if LIST_ITEM.match(line):
                items.append(LIST_ITEM.sub("", line))
            else:
                items[-1] += " " + line
        tag = "ol" if lines[0][0].isdigit() else "ul"
        blocks.append(f"<{tag}>" + "".join(f"<li>{inline(item)}</li>" for item in items) + f"</{tag}>")
    return "\n    ".join(blocks)


def main():
    for addon, title in ADDONS.items():
        readme = ROOT / addon / "readme"
        page = f"""<section class="oe_container">
  <div class="oe_row oe_spaced">
    <h2 class="oe_slogan">{title}</h2>
    <h3 class="oe_slogan">For companies running Odoo 18.0 Community · 售后管理</h3>
    {markdown((readme / "DESCRIPTION.md").read_text())}
    <h3>Configuration</h3>
    {markdown((readme / "CONFIGURE.md").read_text())}
    <h3>Usage</h3>
    {markdown((readme / "USAGE.md").read_text())}
  </div>
</section>
"""
        (ROOT / addon / "static/description/index.html").write_text(page)
        print(addon)


if __name__ == "__main__":
    main()
