/**
 * The classic ({@code POST /build?version=1}) Dockerfile builder, independent of the engine.
 *
 * <ul>
 *   <li>{@code parse}: text → logical lines (directives, comments, continuations, heredocs);</li>
 *   <li>{@code instructions}: lines → the sealed {@code Instruction} records;</li>
 *   <li>{@code shell}: variable substitution ({@code $v}, {@code ${v:-w}}, …);</li>
 *   <li>{@code ignore}: {@code .dockerignore} matching;</li>
 *   <li>{@code context}: build contexts (tar stream or directory), COPY source globbing,
 *       checksums;</li>
 *   <li>{@code plan}: stages, their dependencies, {@code --target}, a parallel schedule;</li>
 *   <li>{@code cache}: cache keys;</li>
 *   <li>{@code exec}: the {@code BuildWorker} port the daemon implements and the {@code Builder}
 *       that walks the plan and writes Docker's classic output.</li>
 * </ul>
 */
package dev.berth.builder;
