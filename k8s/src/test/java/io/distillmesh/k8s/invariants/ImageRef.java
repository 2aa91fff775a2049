package io.distillmesh.k8s.invariants;

/** A container image reference split into name, tag and digest ("registry:5000/a/b:tag@sha256:..."). */
public record ImageRef(String name, String tag, String digest) {
    public static ImageRef parse(String image) {
        String rest = image;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        return new ImageRef(rest, tag, digest);
    }
}
