from pagesetter.app.cli import run

run()
