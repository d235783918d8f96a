// Runs only the `report` command the way src/cli/main.ts wires commands (commander + action()),
// so the CLI test does not depend on every other command's modules being importable.
import { Command } from 'commander';
import { register } from '../../src/cli/commands/report.js';

const program = new Command().name('flamebench');
program.exitOverride((err) => process.exit(err.code === 'commander.helpDisplayed' ? 0 : 2));
register(program);
await program.parseAsync(process.argv);
