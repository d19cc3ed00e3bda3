/**
 * Engine API wire types as records, named and shaped as in {@code swagger.yaml} (API 1.50).
 * JSON property names are Docker's (PascalCase, via {@code @JsonNaming} or explicit
 * {@code @JsonProperty}). Values are immutable; absent values are {@code null} and are not written.
 */
package dev.berth.api.model;
