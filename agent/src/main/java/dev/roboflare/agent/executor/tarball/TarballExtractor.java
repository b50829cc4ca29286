package dev.roboflare.agent.executor.tarball;

import dev.roboflare.agent.executor.RejectedArtifactException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Extracts a tar or tar.gz (told apart by the gzip magic bytes) into a directory, streaming, keeping file modes
 * (without setuid/setgid/sticky). It refuses, naming the entry, anything that would write or point outside that
 * directory: absolute paths, {@code ..} components, symlinks or hard links whose target leaves the tree, entries
 * written through a symlink, and devices or fifos. The caller extracts into a temporary directory and deletes it on
 * refusal, so a refused tarball leaves nothing behind.
 */
public final class TarballExtractor {
    private static final String REBUILD = "; rebuild the tarball with relative paths";

    /** Reads and writes in 256 KiB: fewer system calls per file than 64 KiB, and still flat in the artifact size. */
    private static final int COPY_BUFFER = 256 * 1024;

    public void extract(Path archive, Path dest) throws RejectedArtifactException, IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            extract(in, dest);
        }
    }

    /** Extracts the tarball read from {@code in} (which the caller closes) into {@code dest}. */
    public void extract(InputStream in, Path dest) throws RejectedArtifactException, IOException {
        Files.createDirectories(dest);
        Path root = dest.toAbsolutePath().normalize();
        Map<Path, Integer> dirModes = new LinkedHashMap<>();
        try (InputStream raw = new BufferedInputStream(new NotClosing(in), COPY_BUFFER);
             TarArchiveInputStream tar = new TarArchiveInputStream(maybeGunzip(raw))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path target = targetOf(root, e.getName());
                if (target == null) {
                    continue; // the archive root itself ("./")
                }
                if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                    throw new RejectedArtifactException("tarball entry '" + e.getName()
                            + "' is a device or fifo; only files, directories and links are allowed");
                }
                makeParents(root, target, e.getName());
                if (e.isDirectory()) {
                    if (Files.isSymbolicLink(target) || (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                            && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS))) {
                        throw new RejectedArtifactException("tarball entry '" + e.getName()
                                + "' is a directory but an earlier entry made it a file or link");
                    }
                    Files.createDirectories(target);
                    dirModes.put(target, e.getMode());
                } else if (e.isSymbolicLink()) {
                    checkSymlink(root, target, e);
                    replaceable(target, e.getName());
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    Path existing = hardLinkTarget(root, e);
                    replaceable(target, e.getName());
                    Files.createLink(target, existing);
                } else if (e.isFile()) {
                    replaceable(target, e.getName());
                    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                        copy(tar, out);
                    }
                    Files.setPosixFilePermissions(target, permissions(e.getMode()));
                    Files.setLastModifiedTime(target, e.getLastModifiedTime());
                } else {
                    throw new RejectedArtifactException("tarball entry '" + e.getName()
                            + "' is a device, fifo or other special file; only files, directories and links are "
                            + "allowed");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new RejectedArtifactException("the artifact is not a readable tar or tar.gz: " + e.getMessage());
        } catch (WriteFailure e) {
            throw (IOException) e.getCause(); // the disk, not the tarball (e.g. no space left on device)
        } catch (java.nio.file.FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw new RejectedArtifactException("the artifact is not a readable tar or tar.gz: " + e.getMessage());
        }
        checkLinksPhysically(root);
        List<Path> dirs = new ArrayList<>(dirModes.keySet());
        for (int i = dirs.size() - 1; i >= 0; i--) {
            // owner keeps rwx so the agent can always clean the release up later
            Files.setPosixFilePermissions(dirs.get(i), permissions(dirModes.get(dirs.get(i)) | 0700));
        }
    }

    /** An error writing the extracted file (told apart from an error reading the archive). */
    private static final class WriteFailure extends IOException {
        WriteFailure(IOException cause) {
            super(cause);
        }
    }

    /** The caller owns the stream it passed in. */
    private static final class NotClosing extends FilterInputStream {
        NotClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[COPY_BUFFER];
        int n;
        while ((n = in.read(buf)) > 0) {
            dev.roboflare.agent.systemd.SdNotify.current().kick(); // a long extract is not a hung loop
            try {
                out.write(buf, 0, n);
            } catch (IOException e) {
                throw new WriteFailure(e);
            }
        }
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GzipCompressorInputStream(in, true) : in;
    }

    /** The entry's path inside {@code root}, or null for the root itself; refuses absolute paths and "..". */
    static Path targetOf(Path root, String name) throws RejectedArtifactException {
        if (name.startsWith("/")) {
            throw new RejectedArtifactException("tarball entry '" + name + "' is an absolute path" + REBUILD);
        }
        List<String> parts = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.equals("..")) {
                throw new RejectedArtifactException("tarball entry '" + name + "' escapes the release directory"
                        + REBUILD);
            }
            if (!c.isEmpty() && !c.equals(".")) {
                parts.add(c);
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        Path p = root.resolve(String.join("/", parts)).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new RejectedArtifactException("tarball entry '" + name + "' escapes the release directory"
                    + REBUILD);
        }
        return p;
    }

    /** Creates missing parent directories; refuses to go through a symlink or a file. */
    private static void makeParents(Path root, Path target, String name) throws RejectedArtifactException,
            IOException {
        Path rel = root.relativize(target.getParent() == null ? root : target.getParent());
        Path p = root;
        for (Path c : rel) {
            if (c.toString().isEmpty()) {
                continue;
            }
            p = p.resolve(c);
            if (Files.isSymbolicLink(p)) {
                throw new RejectedArtifactException("tarball entry '" + name + "' would be written through the "
                        + "symlink '" + root.relativize(p) + "'" + REBUILD);
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(p);
            } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new RejectedArtifactException("tarball entry '" + name + "' needs '" + root.relativize(p)
                        + "' to be a directory, but it is a file");
            }
        }
    }

    private static void checkSymlink(Path root, Path link, TarArchiveEntry e) throws RejectedArtifactException {
        String to = e.getLinkName();
        if (to == null || to.isEmpty()) {
            throw new RejectedArtifactException("tarball entry '" + e.getName() + "' is a symlink with no target");
        }
        if (to.startsWith("/")) {
            throw new RejectedArtifactException("tarball entry '" + e.getName() + "' is a symlink to '" + to
                    + "', outside the release directory" + REBUILD);
        }
        Path resolved = link.getParent().resolve(to).normalize();
        if (!resolved.startsWith(root)) {
            throw new RejectedArtifactException("tarball entry '" + e.getName() + "' is a symlink to '" + to
                    + "', which escapes the release directory" + REBUILD);
        }
    }

    private static Path hardLinkTarget(Path root, TarArchiveEntry e) throws RejectedArtifactException {
        String to = e.getLinkName();
        Path existing;
        try {
            existing = to == null ? null : targetOf(root, to);
        } catch (RejectedArtifactException x) {
            existing = null;
        }
        if (existing == null) {
            throw new RejectedArtifactException("tarball entry '" + e.getName() + "' is a hard link to '" + to
                    + "', which escapes the release directory" + REBUILD);
        }
        Path p = root;
        for (Path c : root.relativize(existing.getParent())) {
            p = p.resolve(c);
            if (!c.toString().isEmpty() && Files.isSymbolicLink(p)) {
                throw new RejectedArtifactException("tarball entry '" + e.getName() + "' is a hard link through the "
                        + "symlink '" + root.relativize(p) + "'" + REBUILD);
            }
        }
        if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
            throw new RejectedArtifactException("tarball entry '" + e.getName() + "' is a hard link to '" + to
                    + "', which is not a file extracted earlier from this tarball");
        }
        return existing;
    }

    /** A later entry may replace an earlier file or link of the same name, never a directory. */
    private static void replaceable(Path target, String name) throws RejectedArtifactException, IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new RejectedArtifactException("tarball entry '" + name + "' would replace a directory");
        }
        Files.deleteIfExists(target);
    }

    /**
     * Symlinks were checked one by one; a chain of them (a link through another link) can still resolve
     * elsewhere. Resolve every link the way the kernel will and refuse any that lands outside the tree.
     */
    private static void checkLinksPhysically(Path root) throws RejectedArtifactException, IOException {
        Path realRoot = root.toRealPath();
        List<String> bad = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isSymbolicLink()) {
                    try {
                        if (!file.toRealPath().startsWith(realRoot)) {
                            bad.add(root.relativize(file).toString());
                        }
                    } catch (IOException dangling) {
                        // a dangling link inside the tree points nowhere; harmless
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        if (!bad.isEmpty()) {
            throw new RejectedArtifactException("tarball entry '" + bad.get(0) + "' is a symlink that escapes the "
                    + "release directory through other links" + REBUILD);
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(order[i]);
            }
        }
        return s;
    }
}
