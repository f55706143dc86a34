from sozialraum_cli.cli.app import main

main()
