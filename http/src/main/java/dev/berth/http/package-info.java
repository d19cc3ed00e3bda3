/**
 * The HTTP/1.1 transport of the Engine API: {@link dev.berth.http.HttpServer} (Netty, epoll, unix
 * sockets and TCP with optional TLS), {@link dev.berth.http.Router} (method + path patterns with
 * {@code {name}} and {@code {name:.+}} parameters, {@code /v1.NN} prefix stripped into
 * {@link dev.berth.http.ApiVersion}), and {@link dev.berth.http.HttpExchange}, the handler's view
 * of one request: streamed body with back-pressure, full JSON, chunked streams, or a hijacked raw
 * connection. {@link dev.berth.http.ErrorStatus} is the one place an error kind becomes a status.
 * Netty types never leave this package.
 */
package dev.berth.http;
