package dev.roboflare.controlplane.deploy;

import dev.roboflare.controlplane.storage.ArtifactRows;
import dev.roboflare.controlplane.storage.DeploymentRows;
import dev.roboflare.controlplane.storage.DeploymentRows.DeploymentRow;
import dev.roboflare.controlplane.storage.ReleaseRows;
import dev.roboflare.controlplane.storage.ReleaseSignatureRows;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.OperatorApi.Artifact;
import dev.roboflare.protocol.OperatorApi.Release;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** What one robot should act on now: its dispatched deployments, oldest first, with release and artifact. */
public final class DispatchedWork {
    private final Transactor db;
    private final DeploymentRows deployments = new DeploymentRows();
    private final ReleaseRows releases = new ReleaseRows();
    private final ArtifactRows artifacts = new ArtifactRows();
    private final ReleaseSignatureRows signatures = new ReleaseSignatureRows();

    public DispatchedWork(Transactor db) {
        this.db = db;
    }

    public List<AgentApi.Deployment> forRobot(String robotId, Function<Artifact, String> downloadUrl) {
        return forRobot(robotId, downloadUrl, a -> null);
    }

    /** {@code chunksUrl}: the artifact's signed chunks_url for delta downloads (null: none offered). */
    public List<AgentApi.Deployment> forRobot(String robotId, Function<Artifact, String> downloadUrl,
                                              Function<Artifact, String> chunksUrl) {
        return db.read(c -> {
            List<AgentApi.Deployment> out = new ArrayList<>();
            for (DeploymentRows.Dispatched d : deployments.dispatchedForRobot(c, robotId)) {
                DeploymentRow row = d.row();
                Release r = releases.find(c, row.releaseId())
                        .orElseThrow(() -> new SQLException("release " + row.releaseId() + " missing"));
                Artifact a = artifacts.find(c, r.artifactId())
                        .orElseThrow(() -> new SQLException("artifact " + r.artifactId() + " missing"));
                out.add(new AgentApi.Deployment(row.id(),
                        new AgentApi.Release(r.id(), r.semver(), r.manifestJson()),
                        new AgentApi.Artifact(a.id(), a.kind(), a.name(), a.sha256(), a.size(), downloadUrl.apply(a),
                                chunksUrl.apply(a)),
                        signatures.newest(c, r.id()).orElse(null), d.forced()));
            }
            return out;
        });
    }
}
