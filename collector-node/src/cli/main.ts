#!/usr/bin/env -S node --import tsx
// The `sightline` command. Its code is in cli.ts: tsx cannot load a file that has both a
// shebang and a dynamic import(), and cli.ts loads the engine lazily so --help answers at once.
import "./cli.ts";
