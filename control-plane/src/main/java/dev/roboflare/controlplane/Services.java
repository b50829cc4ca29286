package dev.roboflare.controlplane;

import dev.roboflare.controlplane.api.IdempotentDeployments;
import dev.roboflare.controlplane.artifacts.ArtifactCatalog;
import dev.roboflare.controlplane.artifacts.ArtifactStore;
import dev.roboflare.controlplane.auth.DownloadSigner;
import dev.roboflare.controlplane.deploy.DeploymentCanceller;
import dev.roboflare.controlplane.deploy.DeploymentViews;
import dev.roboflare.controlplane.deploy.DispatchedWork;
import dev.roboflare.controlplane.deploy.RobotReports;
import dev.roboflare.controlplane.fleet.FleetRegistry;
import dev.roboflare.controlplane.fleet.RobotRegistry;
import dev.roboflare.controlplane.release.ReleasePublisher;
import dev.roboflare.controlplane.trust.OperatorTokens;
import dev.roboflare.controlplane.trust.Organisations;
import dev.roboflare.controlplane.trust.ReleaseSignatures;
import dev.roboflare.controlplane.trust.RobotTokenRotation;

/**
 * What the HTTP routes work with, made once by ControlPlane: the API (api/HttpApi) and the status page (ui/) both
 * take their parts from here, so neither package needs the other to be built.
 */
public record Services(DownloadSigner signer, ArtifactStore store, ArtifactCatalog artifacts,
                       ReleasePublisher releases, RobotRegistry robots, FleetRegistry fleets,
                       IdempotentDeployments idempotentDeployments, DeploymentCanceller canceller,
                       DeploymentViews deployments, DispatchedWork dispatchedWork, RobotReports reports,
                       ReleaseSignatures signatures, RobotTokenRotation robotTokens, OperatorTokens operatorTokens,
                       Organisations organisations) {
}
