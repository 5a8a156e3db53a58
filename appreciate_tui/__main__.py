from appreciate_tui.cli import main

main()
