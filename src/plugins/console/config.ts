/** Options of the `console` plugin: one schema gives their type, defaults, validation and JSON Schema. */
import { defaultsOf, Type, type Static } from '../api.js';

export const ConsoleOptionsSchema = Type.Object(
  {
    stream: Type.Union([Type.Literal('stdout'), Type.Literal('stderr')], { default: 'stdout' }),
    color: Type.Union([Type.Literal('auto'), Type.Literal('always'), Type.Literal('never')], {
      default: 'auto',
      description: 'auto: colour when the stream supports it (a TTY), honouring NO_COLOR and FORCE_COLOR.',
    }),
    format: Type.Union([Type.Literal('text'), Type.Literal('json')], {
      default: 'text',
      description: 'text: one readable line per record; json: the LogEntry as one JSON line.',
    }),
    time: Type.Union([Type.Literal('local'), Type.Literal('iso'), Type.Literal('none')], {
      default: 'local',
      description: 'Time column: local clock time (HH:MM:SS.mmm), full UTC ISO time, or none.',
    }),
    attributes: Type.Boolean({ default: true, description: "Append the record's attributes as key=value." }),
    indent: Type.Integer({ minimum: 0, maximum: 16, default: 2, description: 'Spaces per scope depth level.' }),
  },
  { additionalProperties: false, description: 'Options of the console plugin: one line per record.' },
);

export type ConsoleOptions = Static<typeof ConsoleOptionsSchema>;

/** The defaults the schema declares (for tests and embedders building options by hand). */
export const CONSOLE_DEFAULTS = defaultsOf(ConsoleOptionsSchema) as ConsoleOptions;
