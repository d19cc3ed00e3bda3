package dev.berth.image;

import dev.berth.oci.ref.Reference;

import dev.berth.common.BerthException;
import dev.berth.common.Ids;
import dev.berth.image.ImageService.DeleteItem;
import dev.berth.image.ImageService.ContainerUse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Docker's image delete algorithm (moby {@code daemon/images/image_delete.go}): removing a
 * reference only untags while other references remain; removing by id deletes unless conflicts
 * (running container: hard; stopped container or several repositories: soft, overridden by force).
 * Callers hold the service's write lock. Not thread-safe on its own.
 */
final class ImageDeleter {
    private final LocalImageService svc;

    ImageDeleter(LocalImageService svc) {
        this.svc = svc;
    }

    List<DeleteItem> delete(String nameOrId, boolean force, boolean prune, Function<String, List<ContainerUse>> users) {
        String id = svc.resolveId(nameOrId).orElseThrow(() -> BerthException.notFound("No such image: %s", nameOrId));
        List<DeleteItem> records = new ArrayList<>();
        List<Reference> repoRefs = svc.refs.referencesTo(id);
        boolean removedRepositoryRef = false;
        if (!isIdPrefix(id, nameOrId)) {
            Reference parsed = Reference.parse(nameOrId).withDefaultTag();
            if (!force && isSingleReference(repoRefs)) {
                for (ContainerUse u : users.apply(id)) {
                    throw BerthException.conflict(
                            "conflict: unable to remove repository reference \"%s\" (must force) - container %s is using its referenced image %s",
                            nameOrId, Ids.shortId(u.containerId()), Ids.shortId(id));
                }
            }
            if (!svc.refs.remove(parsed)) {
                throw BerthException.notFound("No such image: %s", nameOrId);
            }
            records.add(new DeleteItem(parsed.familiarString(), null));
            repoRefs = svc.refs.referencesTo(id);
            if (parsed.digest() == null) {
                boolean foundTag = repoRefs.stream().anyMatch(r -> r.digest() == null && r.name().equals(parsed.name()));
                if (!foundTag) {
                    List<Reference> remaining = new ArrayList<>();
                    for (Reference r : repoRefs) {
                        if (r.digest() != null && r.name().equals(parsed.name())) {
                            svc.refs.remove(r);
                            records.add(new DeleteItem(r.familiarString(), null));
                        } else {
                            remaining.add(r);
                        }
                    }
                    repoRefs = remaining;
                }
            }
            if (!repoRefs.isEmpty()) {
                return records;
            }
            removedRepositoryRef = true;
        } else if (isSingleReference(repoRefs)) {
            BerthException c = conflict(id, users, true, !force, false);
            if (c != null) {
                throw c;
            }
            for (Reference r : repoRefs) {
                svc.refs.remove(r);
                records.add(new DeleteItem(r.familiarString(), null));
            }
        }
        deleteImage(id, records, force, prune, removedRepositoryRef, users);
        return records;
    }

    private void deleteImage(String id, List<DeleteItem> records, boolean force, boolean prune, boolean quiet,
            Function<String, List<ContainerUse>> users) {
        BerthException c = conflict(id, users, true, !force, !force);
        if (c != null) {
            boolean used = !users.apply(id).isEmpty();
            if (quiet && (!svc.refs.referencesTo(id).isEmpty() || used)) {
                return;
            }
            throw c;
        }
        String parent = svc.images.meta(id).parent();
        for (Reference r : svc.refs.referencesTo(id)) {
            svc.refs.remove(r);
            records.add(new DeleteItem(r.familiarString(), null));
        }
        svc.images.delete(id);
        records.add(new DeleteItem(null, id));
        for (String layer : svc.pruneLayers()) {
            records.add(new DeleteItem(null, layer));
        }
        if (prune && parent != null && !parent.isEmpty() && svc.images.exists(parent)
                && svc.refs.referencesTo(parent).isEmpty() && children(parent).isEmpty()) {
            BerthException pc = conflict(parent, users, true, true, false);
            if (pc == null) {
                deleteImage(parent, records, force, true, true, users);
            }
        }
    }

    /** The first conflict, or null. {@code soft} adds stopped containers; {@code multiRepo} several repositories. */
    private BerthException conflict(String id, Function<String, List<ContainerUse>> users, boolean hard, boolean soft, boolean multiRepo) {
        String shortId = Ids.shortId(id);
        List<ContainerUse> us = users.apply(id);
        if (hard) {
            for (ContainerUse u : us) {
                if (u.running()) {
                    return BerthException.conflict("conflict: unable to delete %s (cannot be forced) - image is being used by running container %s",
                            shortId, Ids.shortId(u.containerId()));
                }
            }
            if (!children(id).isEmpty()) {
                return BerthException.conflict("conflict: unable to delete %s (cannot be forced) - image has dependent child images", shortId);
            }
        }
        if (multiRepo && svc.refs.referencesTo(id).size() > 1) {
            return BerthException.conflict("conflict: unable to delete %s (must be forced) - image is referenced in multiple repositories", shortId);
        }
        if (soft) {
            for (ContainerUse u : us) {
                String who = u.containerId().isEmpty() ? "a stopped container" : "stopped container " + Ids.shortId(u.containerId());
                return BerthException.conflict("conflict: unable to delete %s (must be forced) - image is being used by %s", shortId, who);
            }
        }
        return null;
    }

    private List<String> children(String id) {
        List<String> out = new ArrayList<>();
        for (String other : svc.images.ids()) {
            if (id.equals(svc.images.meta(other).parent())) {
                out.add(other);
            }
        }
        return out;
    }

    private static boolean isIdPrefix(String id, String s) {
        String hex = id.substring("sha256:".length());
        String x = s.startsWith("sha256:") ? s.substring(7) : s;
        return !x.isEmpty() && hex.startsWith(x);
    }

    /** Moby's isSingleReference: at most one tag, and digests only of that tag's repository. */
    static boolean isSingleReference(List<Reference> refs) {
        if (refs.size() <= 1) {
            return refs.size() == 1;
        }
        Reference single = null;
        Set<String> canonical = new HashSet<>();
        for (Reference r : refs) {
            if (r.digest() != null) {
                canonical.add(r.name());
            } else if (single == null) {
                single = r;
            } else {
                return false;
            }
        }
        if (single == null) {
            single = refs.getFirst();
        }
        return canonical.size() == 1 && canonical.contains(single.name());
    }
}
