from cscperf.cli import main

main()
