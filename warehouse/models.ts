/**
 * The SQL model graph: `models/<layer>/<name>.sql`, each with `<name>.yml` beside it giving its
 * description, grain, columns and invariants.
 *
 * Layers and what each may read (dependencies point inward, like the code's folders):
 * - staging (`stg_<source>__<entity>`): one raw table each, renamed and cast; reads `raw`, `meta`.
 * - intermediate (`int_<entity>_<verb>`): joins and time arithmetic; reads staging, intermediate.
 * - marts (plain names): what the API, exports and notebooks read; reads any model layer.
 *
 * Dependencies are parsed from the schema-qualified names in the SQL (`staging.stg_roster__people`),
 * so a model cannot use a table without the runner knowing the order.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError } from './errors.ts';

export const LAYERS = ['staging', 'intermediate', 'marts'] as const;
export type Layer = (typeof LAYERS)[number];

export const MODELS_DIR = join(import.meta.dirname, 'models');

const READABLE: Record<Layer, readonly string[]> = {
  staging: ['raw', 'meta'],
  intermediate: ['meta', 'staging', 'intermediate'],
  marts: ['meta', 'staging', 'intermediate', 'marts'],
};

const NAME_PATTERN: Record<Layer, RegExp> = {
  staging: /^stg_[a-z0-9]+__[a-z0-9_]+$/,
  intermediate: /^int_[a-z0-9_]+$/,
  marts: /^[a-z][a-z0-9_]*$/,
};

const columnName = z.string().regex(/^[a-z_][a-z0-9_]*$/);

export const modelSpecSchema = z.strictObject({
  description: z.string().min(1),
  grain: z.string().min(1),
  /** Columns that together identify a row: checked unique and not null. */
  unique_key: z.array(columnName).min(1),
  /**
   * A view whose rows are rows of this model it reads, with the same unique key, each at most
   * once (a filter, with lookups joined on their own checked unique keys): the key is checked
   * unique there, not again here, where grouping 13 M rows joined on every read costs seconds.
   */
  unique_key_of: z.string().min(1).optional(),
  /** Every column of the model with what it means; checked against the built table. */
  columns: z.record(columnName, z.string().min(1)).default({}),
  /** Take the column descriptions of another model (a mart that republishes a model)… */
  columns_as: z.string().optional(),
  /** …without these of its columns. */
  columns_omit: z.array(columnName).default([]),
  not_null: z.array(columnName).default([]),
  accepted_values: z
    .record(columnName, z.array(z.union([z.string(), z.number(), z.boolean()])).min(1))
    .default({}),
  ranges: z
    .record(columnName, z.strictObject({ min: z.number().optional(), max: z.number().optional() }))
    .default({}),
  /** SQL boolean expressions that must not be false on any row (null, i.e. unknown, passes). */
  expressions: z.array(z.string()).default([]),
  /**
   * How the build keeps the model: `view` for a cheap filter or join that its readers inline (no
   * copy of its rows is written), `table` for anything read several times or costly to compute.
   * Default: view for staging, table otherwise.
   */
  materialized: z.enum(['view', 'table']).optional(),
  /**
   * How an incremental build may treat the model (docs/architecture.md, "Incremental builds").
   * Without it the model is rebuilt in full from complete inputs and read whole by others.
   */
  incremental: z
    .strictObject({
      /** Rows belong to the local week in this column (a Monday)… */
      week_column: columnName.optional(),
      /** …or to the instant in this column (and, for intervals, last until end_column). */
      start_column: columnName.optional(),
      end_column: columnName.optional(),
      /**
       * For rows without an instant in start_column (all-day events): the columns of the first
       * UTC date they span and the date after the last, which an incremental build's checks
       * select them by (without, every such row is checked in every build).
       */
      date_columns: z.tuple([columnName, columnName]).optional(),
      /** Rows are read only where some row of `model` with the same `columns` is in scope. */
      within: z
        .strictObject({ model: z.string().min(1), columns: z.array(columnName).min(1) })
        .optional(),
      /**
       * true: the model's rows of the affected period depend only on its inputs' rows near that
       * period, so only those rows are recomputed. false: rebuilt in full (it numbers or
       * accumulates over all time), then compared with its previous rows to find what changed.
       */
      partial: z.boolean().default(true),
      /**
       * A partial model whose rows of week w also read instants up to this many days before the
       * week: a column of meta.build_params holding a number of days (latency_cap_days).
       */
      lookback: columnName.optional(),
      /**
       * A partial model whose row starting at t reads intervals up to this many hours either side
       * of it (a double-booked stretch ends at the next edge of a meeting, at most a day later).
       */
      margin_hours: z.number().int().positive().max(24).optional(),
      /**
       * Rows are maximal stretches merged from their inputs' overlapping or touching intervals,
       * so a stretch of any length depends on every interval in it: a partial rebuild replaces
       * the stretches touching the affected period and reads the inputs over their hull.
       */
      merged: z.boolean().default(false),
      /**
       * A model rebuilt in full (`partial: false`, with start_column and end_column) whose rows
       * ending at or before an instant depend only on its inputs' rows before it, and whose SQL,
       * given that instant in `getvariable('incremental_scope_start')`, computes every row ending
       * after it from the inputs' rows from it on (and whatever it looks up before): an
       * incremental build recomputes only the rows ending after the earliest change of its inputs.
       */
      causal: z.boolean().default(false),
      /**
       * SQL giving the instants (column `changed_at`) at which a raw change in the runs of UTC
       * days of `incremental_raw_changes` (first_day, last_day, start_at, end_at) also changes
       * what the model computes, where that lies beyond the usual reach.
       */
      reach: z.string().min(1).optional(),
    })
    .refine(
      (spec) =>
        [spec.week_column, spec.start_column, spec.within].filter((key) => key !== undefined)
          .length === 1 &&
        (spec.end_column === undefined || spec.start_column !== undefined) &&
        (spec.date_columns === undefined || spec.start_column !== undefined),
      'give exactly one of week_column, start_column or within (end_column and date_columns only with start_column)',
    )
    .optional(),
});
export type ModelSpec = z.infer<typeof modelSpecSchema>;

/**
 * Whether the build keeps the model as a view. A view is always complete (it reads its inputs
 * whole), so an incremental build recreates it like a staging view instead of replacing weeks.
 */
export function isView(model: { readonly layer: Layer; readonly spec: ModelSpec }): boolean {
  return (model.spec.materialized ?? (model.layer === 'staging' ? 'view' : 'table')) === 'view';
}

export interface Model {
  readonly name: string;
  readonly layer: Layer;
  readonly file: string;
  readonly sql: string;
  readonly spec: ModelSpec;
  /** Models this one reads, by name. */
  readonly dependencies: readonly string[];
  /** Raw and meta tables this one reads, schema-qualified. */
  readonly sources: readonly string[];
}

/** Removes comments and string literals so names inside them are not taken for references. */
function stripCommentsAndStrings(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, ' ');
}

export function parseReferences(sql: string): { schema: string; table: string }[] {
  const seen = new Map<string, { schema: string; table: string }>();
  for (const match of stripCommentsAndStrings(sql).matchAll(
    /\b(raw|meta|staging|intermediate|marts)\.([a-z_][a-z0-9_]*)\b/gi,
  )) {
    const schema = (match[1] ?? '').toLowerCase();
    const table = (match[2] ?? '').toLowerCase();
    seen.set(`${schema}.${table}`, { schema, table });
  }
  return [...seen.values()];
}

/** Reads every model and its spec, and checks names, layering and references. */
export function loadModels(directory = MODELS_DIR): Model[] {
  const drafts: Omit<Model, 'dependencies' | 'sources'>[] = [];
  const references = new Map<string, { schema: string; table: string }[]>();
  for (const layer of LAYERS) {
    let files: string[];
    try {
      files = readdirSync(join(directory, layer))
        .filter((file) => file.endsWith('.sql'))
        .sort();
    } catch {
      continue;
    }
    for (const fileName of files) {
      const name = fileName.slice(0, -'.sql'.length);
      const file = join(directory, layer, fileName);
      if (!NAME_PATTERN[layer].test(name)) {
        throw InputError.at(
          { file },
          `${layer} models must be named like ${NAME_PATTERN[layer].source}`,
        );
      }
      const specFile = join(directory, layer, `${name}.yml`);
      let specText: string;
      try {
        specText = readFileSync(specFile, 'utf8');
      } catch {
        throw InputError.at(
          { file: specFile },
          'every model needs a spec beside it (description, grain, columns)',
        );
      }
      const parsed = modelSpecSchema.safeParse(parseYaml(specText));
      if (!parsed.success) {
        throw new InputError(
          `invalid model spec ${specFile}`,
          parsed.error.issues.map((issue) => ({
            location: { file: specFile, field: issue.path.join('.') },
            message: issue.message,
          })),
        );
      }
      const sql = readFileSync(file, 'utf8').trim().replace(/;\s*$/, '');
      drafts.push({ name, layer, file, sql, spec: parsed.data });
      references.set(name, parseReferences(sql));
    }
  }
  const byName = new Map<string, Omit<Model, 'dependencies' | 'sources'>>();
  for (const draft of drafts) {
    const existing = byName.get(draft.name);
    if (existing)
      throw InputError.at(
        { file: draft.file },
        `model name ${draft.name} is also used by ${existing.file}`,
      );
    byName.set(draft.name, draft);
  }
  for (const draft of drafts) {
    const base = draft.spec.columns_as;
    if (base === undefined) continue;
    const source = byName.get(base);
    if (!source || source.spec.columns_as !== undefined) {
      throw InputError.at(
        { file: draft.file },
        `columns_as: ${base} is not a model with its own columns`,
      );
    }
    const inherited = Object.entries(source.spec.columns).filter(
      ([column]) => !draft.spec.columns_omit.includes(column),
    );
    draft.spec.columns = { ...Object.fromEntries(inherited), ...draft.spec.columns };
  }
  return drafts.map((draft) => {
    const dependencies: string[] = [];
    const sources: string[] = [];
    for (const reference of references.get(draft.name) ?? []) {
      if (!READABLE[draft.layer].includes(reference.schema)) {
        throw InputError.at(
          { file: draft.file },
          `${draft.layer} models may not read ${reference.schema}.${reference.table}`,
        );
      }
      if (reference.schema === 'raw' || reference.schema === 'meta') {
        sources.push(`${reference.schema}.${reference.table}`);
        continue;
      }
      const target = byName.get(reference.table);
      if (!target || target.layer !== reference.schema) {
        throw InputError.at(
          { file: draft.file },
          `unknown model ${reference.schema}.${reference.table}`,
        );
      }
      if (target.name === draft.name)
        throw InputError.at({ file: draft.file }, 'a model cannot read itself');
      dependencies.push(target.name);
    }
    const keyed = draft.spec.unique_key_of;
    if (keyed !== undefined) {
      const source = byName.get(keyed);
      if (
        !isView(draft) ||
        !dependencies.includes(keyed) ||
        source?.spec.unique_key.join() !== draft.spec.unique_key.join()
      ) {
        throw InputError.at(
          { file: draft.file.replace(/\.sql$/, '.yml'), field: 'unique_key_of' },
          `unique_key_of: a view may take its unique key's check from a model it reads with the same unique key, and ${keyed} is not one`,
        );
      }
    }
    return { ...draft, dependencies, sources };
  });
}

/**
 * Orders models so each comes after everything it reads; ties broken by layer then name so the
 * order (and the build log) is stable. A cycle is reported with its path.
 */
export function orderModels(models: readonly Model[]): Model[] {
  const byName = new Map(models.map((model) => [model.name, model]));
  const state = new Map<string, 'visiting' | 'done'>();
  const ordered: Model[] = [];
  const rank = (model: Model): string => `${LAYERS.indexOf(model.layer)}:${model.name}`;
  const visit = (model: Model, path: string[]): void => {
    const seen = state.get(model.name);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...path.slice(path.indexOf(model.name)), model.name];
      throw InputError.at({ file: model.file }, `models form a cycle: ${cycle.join(' -> ')}`);
    }
    state.set(model.name, 'visiting');
    const dependencies = model.dependencies
      .map((name) => byName.get(name))
      .filter((dep): dep is Model => dep !== undefined);
    for (const dependency of dependencies.sort((a, b) => rank(a).localeCompare(rank(b)))) {
      visit(dependency, [...path, model.name]);
    }
    state.set(model.name, 'done');
    ordered.push(model);
  };
  for (const model of [...models].sort((a, b) => rank(a).localeCompare(rank(b)))) visit(model, []);
  return ordered;
}

/** The named models and everything downstream of them, in build order. */
export function selectWithDependents(models: readonly Model[], names: readonly string[]): Model[] {
  const known = new Set(models.map((model) => model.name));
  for (const name of names) {
    if (!known.has(name)) throw new InputError(`unknown model '${name}' (see warehouse/models/)`);
  }
  const selected = new Set(names);
  for (const model of orderModels(models)) {
    if (model.dependencies.some((dependency) => selected.has(dependency))) selected.add(model.name);
  }
  return orderModels(models).filter((model) => selected.has(model.name));
}
