package dev.berth.distribution;

import dev.berth.common.Digest;
import dev.berth.oci.image.Descriptor;
import java.util.List;

/**
 * One layer of an image being pulled or pushed.
 *
 * @param index      position, bottom layer 0
 * @param descriptor the (compressed) blob as the manifest lists it
 * @param diffId     digest of the uncompressed tar, from the image config
 * @param diffIds    diff ids of this layer and all below it (bottom first), for chain ids
 */
public record LayerInfo(int index, Descriptor descriptor, Digest diffId, List<Digest> diffIds) {
    public LayerInfo {
        diffIds = List.copyOf(diffIds);
    }

    public Digest blobDigest() {
        return Digest.parse(descriptor.digest());
    }

    /** The 12-character id dockerd shows for this layer in pull progress (of the blob digest). */
    public String progressId() {
        return blobDigest().shortHex();
    }

    /** The chain id of the layer stack up to here: diffId for the bottom, else sha256(parentChain + " " + diffId). */
    public Digest chainId() {
        Digest chain = diffIds.getFirst();
        for (int i = 1; i < diffIds.size(); i++) {
            chain = Digest.sha256((chain + " " + diffIds.get(i)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return chain;
    }
}
