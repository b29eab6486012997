#!/usr/bin/env node
import '../dist/cli/distlogd.js';
