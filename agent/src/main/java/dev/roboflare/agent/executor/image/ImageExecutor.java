package dev.roboflare.agent.executor.image;

import dev.roboflare.agent.executor.Executor;
import dev.roboflare.agent.executor.RejectedArtifactException;
import dev.roboflare.agent.executor.WholeImage;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.DeploymentRecord;
import dev.roboflare.agent.state.ReleaseRecord;
import dev.roboflare.protocol.ArtifactKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * full_image_ab: a whole root file system written into the inactive slot, booted on trial through the
 * bootloader's environment (slot variable, upgrade_available=1, bootcount=0), and committed
 * (upgrade_available=0) only after the new OS booted and its app survived the watch window. The agent's own
 * package comes with the image; nothing here updates the agent.
 */
public final class ImageExecutor implements Executor, WholeImage {
    private final Path dir;
    private final ImageSettings s;

    public ImageExecutor(Path state, ImageSettings settings) {
        this.dir = state.resolve("os-image");
        this.s = settings;
    }

    @Override
    public ArtifactKind kind() {
        return ArtifactKind.FULL_IMAGE_AB;
    }

    /**
     * Before the download: the booted slot is known and the inactive one can be sized, and the artifact is not
     * larger than that slot. A raw image is exactly its artifact; a zip or .xz holds an image at least about as big
     * as itself (deflate and xz grow incompressible data by well under 0.1%, hence the slack), so an artifact
     * larger than the slot cannot fit either. The exact size of a compressed image is checked again at write.
     */
    @Override
    public String refusal(DeploymentRecord d) {
        String booted;
        try {
            booted = BootedSlot.of(s);
            if (booted == null) {
                return "the booted slot is not one of --slots (" + s.slots() + ") according to "
                        + BootedSlot.source(s) + "; set --slots or --booted-slot-command for this board";
            }
        } catch (IOException e) {
            return "cannot tell which slot booted (" + BootedSlot.source(s) + "): " + e.getMessage();
        }
        String target = s.slots().other(booted);
        Path inactive = s.slots().device(target);
        long capacity;
        try {
            capacity = SlotWriter.capacity(inactive);
        } catch (IOException | NumberFormatException e) {
            return "the inactive slot " + inactive + " is not a block device this agent can size: " + e.getMessage();
        }
        if (d.size() > capacity + capacity / 1000 + 65536) {
            return "the artifact (" + d.size() + " bytes) is larger than the inactive slot " + target + " " + inactive
                    + " (" + capacity + " bytes), so its image cannot fit; nothing was downloaded";
        }
        return null;
    }

    @Override
    public Path releaseDir(String releaseId) {
        return dir.resolve(releaseId);
    }

    @Override
    public Path install(DeploymentRecord d, Path artifact) throws RejectedArtifactException {
        throw new RejectedArtifactException("full_image_ab is written by the write phase, not extracted");
    }

    @Override
    public boolean replacesApp() {
        return false;
    }

    @Override
    public void apply(DeploymentRecord d) throws RejectedArtifactException {
        throw new RejectedArtifactException("full_image_ab is switched by the reboot phase, not applied");
    }

    @Override
    public String write(DeploymentRecord d, Path artifact) throws RejectedArtifactException, IOException {
        String booted = BootedSlot.of(s);
        if (booted == null) {
            throw new RejectedArtifactException("the booted slot is not one of --slots (" + s.slots() + ") according "
                    + "to " + BootedSlot.source(s) + "; nothing was written");
        }
        String target = s.slots().other(booted);
        Path device = s.slots().device(target);
        SystemImage image = SystemImage.open(artifact);
        image.check(s.robotType(), s.cert());
        long capacity = SlotWriter.capacity(device);
        long size = image.knownSize();
        if (size > capacity) {
            throw new RejectedArtifactException("the image (" + size + " bytes) is larger than the inactive slot "
                    + target + " " + device + " (" + capacity + " bytes); nothing was written");
        }
        SlotWriter.Written w;
        try (InputStream in = image.content()) {
            w = SlotWriter.write(in, device, capacity);
        }
        String carried = IdentityFiles.carry(s.preserve(), device);
        return image.form() + " written into slot " + target + " (" + device + "): " + w.bytes() + " bytes, read back "
                + "sha256 " + w.sha256() + "; " + carried;
    }

    @Override
    public String switchSlots(DeploymentRecord d) throws IOException {
        String bootId = BootedSlot.bootId(s);
        SwitchRecord r = SwitchRecord.load(record(), d.id());
        if (r != null && !r.bootId().equals(bootId)) {
            return "the robot already rebooted since slot " + r.to() + " was switched to";
        }
        if (r == null) {
            String booted = BootedSlot.of(s);
            r = new SwitchRecord(SwitchRecord.FORMAT, d.id(), booted, s.slots().other(booted), bootId);
            r.save(record());
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put(s.slots().variable(), r.to());
        env.put("upgrade_available", "1");
        env.put("bootcount", "0");
        s.env().set(env);
        return "rebooting into slot " + r.to() + " (" + s.slots().variable() + "=" + r.to()
                + " upgrade_available=1 bootcount=0 in the " + s.env() + "); slot " + r.from() + " ran before";
    }

    @Override
    public void reboot(String why) throws IOException {
        Tool.shell(s.rebootCommand());
    }

    @Override
    public Booted booted(DeploymentRecord d) throws IOException {
        SwitchRecord r = SwitchRecord.load(record(), d.id());
        if (r == null) {
            throw new IOException(record() + " does not record the switch of deployment " + d.id());
        }
        String slot = BootedSlot.of(s);
        if (r.bootId().equals(BootedSlot.bootId(s))) {
            return new Booted(Boot.NOT_YET, slot, r.to());
        }
        return new Booted(r.to().equals(slot) ? Boot.NEW_SLOT : Boot.FELL_BACK, slot, r.to());
    }

    @Override
    public boolean revert(DeploymentRecord d) throws IOException {
        SwitchRecord r = SwitchRecord.load(record(), d.id());
        if (r == null) {
            return true; // the environment was never written
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put(s.slots().variable(), r.from());
        env.put("upgrade_available", "0");
        env.put("bootcount", "0");
        s.env().set(env);
        return r.from().equals(BootedSlot.of(s));
    }

    @Override
    public String undo(DeploymentRecord d, ReleaseRecord target) throws IOException {
        return revert(d) ? null : "the boot environment points at the previous OS again; it runs after the next "
                + "reboot";
    }

    @Override
    public void commit(DeploymentRecord d) throws IOException {
        s.env().set(Map.of("upgrade_available", "0", "bootcount", "0"));
    }

    @Override
    public void cleanup(DeploymentRecord d) {
        try {
            Files.deleteIfExists(record());
        } catch (IOException e) {
            Log.warn().kv("step", "cleanup").kv("deployment", d.id()).msg("cannot remove " + record() + ": "
                    + e.getMessage()).emit();
        }
    }

    private Path record() {
        return dir.resolve("switch.json");
    }
}
