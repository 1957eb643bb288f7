import type { Command } from 'commander';
import { createContext, type CliContext, type GlobalOptions } from '../context.ts';
import type { Io } from '../io.ts';

/** The context for a command's action, from the global options it was called with. */
export function contextOf(command: Command, io: Io): CliContext {
  return createContext(command.optsWithGlobals<GlobalOptions>(), io);
}

export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : nouns}`;
}

const LIVE_SOURCE_GROUPS = {
  connect:
    'connect a live source (credentials are stored beside the warehouse, readable by you only)',
  sync: 'sync a connected live source into the warehouse (metadata only)',
} as const;

/** The `connect` or `sync` group that every live source adds its subcommand to. */
export function liveSourceGroup(program: Command, name: keyof typeof LIVE_SOURCE_GROUPS): Command {
  return (
    program.commands.find((command) => command.name() === name) ??
    program.command(name).description(LIVE_SOURCE_GROUPS[name])
  );
}
