from bot.bench.cli import main

raise SystemExit(main())
