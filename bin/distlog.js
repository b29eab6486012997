#!/usr/bin/env node
import '../dist/cli/distlog.js';
