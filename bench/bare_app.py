"""The anchor for the page benchmark: a bare Flask + Jinja page under the same gunicorn."""

from flask import Flask, render_template_string

app = Flask(__name__)

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>
</main></body></html>"""


@app.get("/")
def page() -> str:
    """A small page rendered from a template, as the app's pages are."""
    return render_template_string(PAGE, title="Bare", items=range(20))


@app.get("/healthz")
def healthz() -> str:
    """Answers as soon as the worker is up."""
    return "ok"
