/**
 * Berth Compose: runs multi-container applications described by Compose files.
 *
 * <ul>
 *   <li>{@link dev.berth.compose.loader} — the Compose Specification loader: YAML 1.2 (snakeyaml-engine),
 *       interpolation, .env, schema validation naming file/line/field, normalization of short syntax,
 *       merging of several files, extends, include, profiles. Produces a {@link dev.berth.compose.loader.Project}
 *       (a canonical tree, what {@code config} prints). Pure; no engine access.</li>
 *   <li>{@link dev.berth.compose.engine} — the project on the engine, through {@code dev.berth.client} only:
 *       networks, volumes, images (pull/build), containers named and labelled as Docker Compose does,
 *       reconcile by config hash, depends_on conditions, health waits, lifecycle operations, logs.</li>
 *   <li>{@link dev.berth.compose.cli} — the picocli {@code compose} command and its subcommands.</li>
 * </ul>
 */
package dev.berth.compose;
