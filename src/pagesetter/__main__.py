from pagesetter.cli import run

run()
