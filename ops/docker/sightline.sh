#!/bin/sh
# The sightline CLI in an image: docker exec <container> sightline backup /var/lib/sightline/backups/today
exec node --import /app/collector-node/node_modules/tsx/dist/loader.mjs /app/collector-node/src/cli/main.ts "$@"
