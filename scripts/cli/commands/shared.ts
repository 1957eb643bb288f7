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
