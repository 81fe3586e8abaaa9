"""Draw the site's share image (``og:image``, 1200 × 630): ``python -m kb.share_image`` (``make share-image``)
writes static/img/share.png. It is drawn as an HTML page by Chromium through Playwright (the browser tests'
tools), so the text is set by a real text engine; the PNG is committed and the site only serves it."""

import os
import sys
from pathlib import Path

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
html, body { margin: 0; width: 1200px; height: 630px; }
body { background: #0f5f8c; color: #fff; display: flex; flex-direction: column; justify-content: center;
       padding: 0 96px; box-sizing: border-box;
       font-family: system-ui, "Segoe UI", Roboto, Arial, "Noto Sans TC", "WenQuanYi Micro Hei", sans-serif; }
.brand { display: flex; align-items: center; gap: 28px; font-size: 84px; font-weight: 700; letter-spacing: -1px; }
.brand svg { width: 120px; height: 120px; }
.en { font-size: 42px; margin: 56px 0 0; line-height: 1.3; }
.zh { font-size: 42px; margin: 20px 0 0; line-height: 1.4; letter-spacing: 2px; color: #d7ebf7; }
.languages { font-size: 30px; margin: 44px 0 0; color: #d7ebf7; }
.rule { position: absolute; left: 0; right: 0; bottom: 0; height: 18px; background: #6cb8e6; }
</style></head><body>
<div class="brand"><svg viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#fff"/><g fill="#0f5f8c">
<rect x="5" y="11" width="10" height="10" rx="2"/><rect x="17" y="11" width="10" height="10" rx="2"/>
<rect x="11" y="5" width="10" height="3" rx="1"/><rect x="11" y="24" width="10" height="3" rx="1"/></g></svg>
InfraLearn</div>
<p class="en">Containers, Kubernetes, infrastructure as code and PC&nbsp;hardware</p>
<p class="zh" lang="zh-Hant">容器、Kubernetes、基礎設施即程式碼與 PC 硬體</p>
<p class="languages">English · <span lang="zh-Hant">繁體中文</span></p>
<div class="rule"></div>
</body></html>"""

OUTPUT = Path(__file__).resolve().parent.parent / "static" / "img" / "share.png"


def draw(output=OUTPUT):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 1200, "height": 630})
        page.set_content(PAGE)
        page.screenshot(path=str(output))
        browser.close()


if __name__ == "__main__":
    draw(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT)
