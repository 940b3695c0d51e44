from pagesetter.cli import main

main()
