/**
 * Compose file loading. Pipeline per file: {@link dev.berth.compose.loader.YamlTree} (parse, line map, merge
 * keys, !reset/!override) → {@link dev.berth.compose.loader.Interpolator} → {@link dev.berth.compose.loader.SchemaValidator}
 * → include → {@link dev.berth.compose.loader.Normalizer} (short → long syntax, absolute paths) → extends; then
 * {@link dev.berth.compose.loader.Merger} over the files, project name, profiles and the final checks.
 * All classes are stateless or immutable after construction and safe to use from several threads.
 */
package dev.berth.compose.loader;
