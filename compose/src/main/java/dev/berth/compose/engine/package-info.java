/**
 * The Compose project engine over the Engine API client. {@link dev.berth.compose.engine.ComposeEngine} brings
 * a project up (independent services in parallel on virtual threads, dependencies first);
 * {@link dev.berth.compose.engine.ProjectOps} runs lifecycle operations; {@link dev.berth.compose.engine.ContainerBody}
 * maps a service to a create request; {@link dev.berth.compose.engine.Labels}/{@link dev.berth.compose.engine.Naming}
 * keep Docker Compose's names and labels so both tools find each other's containers.
 */
package dev.berth.compose.engine;
