"""A saved Arabic news-site article page, with the furniture real pages carry, for the HTML reader.

The article is the sample's text (its headings and paragraphs, plus a list, a
quotation and emphasis); around it: a header menu, breadcrumbs, share buttons,
a script, a related-articles box, a newsletter form whose success message is
the sample's web-form residue, a cookie banner and a footer.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from warraq.document.readers.txt import is_question_heading

REPO = Path(__file__).resolve().parent.parent.parent
SAMPLE = REPO / "seeds" / "france-qatar-security.ar.txt"
TITLE = "التعاون الأمني بين فرنسا وقطر"
LIST_ITEMS = ["تبادل المعلومات الاستخباراتية", "التمارين العسكرية المشتركة", "تدريب قوات الأمن"]
QUOTE = "إن أمن الخليج جزء من أمن أوروبا."
EMPHASIS = ("الاستقرار الإقليمي", "الهجمات السيبرانية")

FURNITURE = [
    "الرئيسية",
    "سياسة",
    "اقتصاد",
    "رياضة",
    "اشترك الآن",
    "شارك على فيسبوك",
    "شارك على تويتر",
    "انسخ الرابط",
    "مقالات ذات صلة",
    "قطر وفرنسا توقعان اتفاقية دفاعية جديدة",
    "تحليل: الوساطة القطرية في غزة",
    "النشرة البريدية",
    "Thank you!",
    "We will contact you soon.",
    "نستخدم ملفات تعريف الارتباط لتحسين تجربتك.",
    "جميع الحقوق محفوظة",
]


def article_lines() -> list[str]:
    """The sample's Arabic lines (its trailing web-form residue removed)."""
    lines = [line for line in SAMPLE.read_text(encoding="utf-8").split("\n") if line.strip()]
    return [line for line in lines if any("\u0600" <= c <= "\u06ff" for c in line)]


def emphasis_runs(line: str) -> list[tuple[str, bool]]:
    """``line`` as (text, bold) runs: the first occurrence of each emphasised phrase is bold."""
    spans = sorted((line.find(p), p) for p in EMPHASIS if p in line)
    runs: list[tuple[str, bool]] = []
    at = 0
    for start, phrase in spans:
        if start < at:
            continue
        runs += [(line[at:start], False), (phrase, True)]
        at = start + len(phrase)
    return [*runs, (line[at:], False)]


def _emphasised(line: str) -> str:
    return "".join(
        f"<strong>{escape(t)}</strong>" if b else escape(t) for t, b in emphasis_runs(line)
    )


def article_html() -> str:
    """The article's own markup: title, paragraphs, question headings, a list and a quote."""
    parts = [f"<h1>{TITLE}</h1>"]
    lines = article_lines()
    for index, line in enumerate(lines):
        if is_question_heading(line):
            parts.append(f"<h2>{escape(line)}</h2>")
        else:
            parts.append(f"<p>{_emphasised(line)}</p>")
        if index == 1:
            parts.append("<ul>" + "".join(f"<li>{item}</li>" for item in LIST_ITEMS) + "</ul>")
            parts.append(f"<blockquote><p>{QUOTE}</p></blockquote>")
    return "\n".join(parts)


def article_markdown() -> str:
    """The same article written in Markdown: the structure the HTML reader must give."""
    parts = [f"# {TITLE}", ""]
    for index, line in enumerate(article_lines()):
        if is_question_heading(line):
            parts += [f"## {line}", ""]
        else:
            text = "".join(f"**{t}**" if b else t for t, b in emphasis_runs(line))
            parts += [text, ""]
        if index == 1:
            parts += [*(f"- {item}" for item in LIST_ITEMS), "", f"> {QUOTE}", ""]
    return "\n".join(parts)


def page_html(article: str | None = None) -> str:
    """A whole saved page around ``article`` (default: :func:`article_html`)."""
    article = article_html() if article is None else article
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>{TITLE} | الجريدة</title>
<meta property="og:title" content="{TITLE}">
<link rel="stylesheet" href="https://cdn.example.com/site.css">
<script src="https://cdn.example.com/tracker.js"></script>
<script>document.write("<p>نص يكتبه البرنامج النصي</p>");</script>
</head>
<body>
<header class="site-header">
  <a class="logo" href="/">الجريدة</a>
  <nav class="main-menu"><ul>
    <li><a href="/">الرئيسية</a></li><li><a href="/politics">سياسة</a></li>
    <li><a href="/economy">اقتصاد</a></li><li><a href="/sport">رياضة</a></li>
  </ul></nav>
  <a class="subscribe" href="/subscribe">اشترك الآن</a>
</header>
<div class="breadcrumbs"><a href="/">الرئيسية</a> › <a href="/politics">سياسة</a></div>
<main>
<article class="post">
<div class="share-buttons">
  <a href="https://facebook.com/share">شارك على فيسبوك</a>
  <a href="https://twitter.com/share">شارك على تويتر</a>
  <button>انسخ الرابط</button>
</div>
<div class="post-meta"><span class="author">بقلم: مؤلف مجهول</span>
<time datetime="2024-06-01">١ يونيو ٢٠٢٤</time></div>
<div class="post-body">
{article}
</div>
<img src="https://cdn.example.com/photo.jpg" alt="صورة">
</article>
<aside class="related">
  <h3>مقالات ذات صلة</h3>
  <ul><li><a href="/a1">قطر وفرنسا توقعان اتفاقية دفاعية جديدة</a></li>
  <li><a href="/a2">تحليل: الوساطة القطرية في غزة</a></li></ul>
</aside>
</main>
<section class="newsletter">
  <h3>النشرة البريدية</h3>
  <form action="/subscribe" method="post">
    <input type="email" name="email" placeholder="بريدك الإلكتروني">
    <button type="submit">اشترك</button>
  </form>
  <div class="form-success"><p>Thank you!</p><p>We will contact you soon.</p></div>
</section>
<div class="cookie-banner"><p>نستخدم ملفات تعريف الارتباط لتحسين تجربتك.</p>
<button>موافق</button></div>
<footer class="site-footer"><p>© 2024 الجريدة. جميع الحقوق محفوظة</p>
<ul><li><a href="/about">من نحن</a></li><li><a href="/privacy">سياسة الخصوصية</a></li></ul>
</footer>
</body>
</html>
"""
