from appreciate_tui.launch import main

main()
