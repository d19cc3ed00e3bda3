/**
 * The registry client: pull and push images over the OCI distribution / Docker registry v2 API.
 *
 * <p>Shape (after Jib): {@link dev.berth.distribution.RegistryClient} owns authentication (bearer
 * token flow with realm/service/scope, basic auth, token cache, refresh on 401), redirects and
 * error mapping; one small class per endpoint ({@link dev.berth.distribution.ManifestEndpoint},
 * {@link dev.berth.distribution.BlobEndpoint}, {@link dev.berth.distribution.UploadEndpoint})
 * builds requests. {@link dev.berth.distribution.ImagePuller} and
 * {@link dev.berth.distribution.ImagePusher} are the operations; they know nothing of the image
 * store, which plugs in through {@link dev.berth.distribution.LayerSink} (pull) and
 * {@link dev.berth.distribution.LayerSource} (push, see {@link dev.berth.distribution.PushSources}).
 * Progress goes to {@link dev.berth.distribution.PullListener}/{@link dev.berth.distribution.PushListener};
 * {@link dev.berth.distribution.DockerProgress} renders dockerd's JSON messages.
 *
 * <p>Daemon wiring (composition root), once:
 * <pre>{@code
 * RegistryConfig rc = new RegistryConfig(insecureRegistries, Map.of("docker.io", mirrorUris), null);
 * BlobFetcher fetcher = new BlobFetcher(dataRoot.resolve("ingest"));       // shared: dedups concurrent downloads
 * ImagePuller puller = new ImagePuller(rc, fetcher, 3);                      // max-concurrent-downloads
 * ImagePusher pusher = new ImagePusher(rc, ImagePusher.Options.defaults()); // 5 uploads at once
 * }</pre>
 * Per {@code POST /images/create?fromImage=…&tag=…&platform=…}:
 * <pre>{@code
 * AuthConfig auth = AuthConfig.fromHeader(xRegistryAuth);
 * Reference ref = Reference.parse(fromImage + (tag ...)).withDefaultTag();   // dev.berth.oci.ref
 * DockerProgress p = new DockerProgress(m -> sink.send(m));
 * PullResult r = puller.pull(ref, platform == null ? null : Platforms.parse(platform), auth, p, layerSink);
 * // store r.config() (image id = r.configDigest()), tag ref, record repo digest ref.name()+"@"+r.digest()
 * p.status(changed ? "Status: Downloaded newer image for " + ref.familiarString()
 *                  : "Status: Image is up to date for " + ref.familiarString());
 * }</pre>
 */
package dev.berth.distribution;
