from sozialraum_cli.cli import main

main()
