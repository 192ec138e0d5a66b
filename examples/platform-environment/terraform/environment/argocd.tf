# Argo CD is the one add-on Terraform installs; it then installs every other add-on from
# addons/ of this repository (app of apps). The chart versions are the platform's pins
# (Runway's templates/platform-environment/versions.yaml).

locals {
  argocd_namespace = "argocd"
  # Argo CD runs on the system nodes: it must be up before Karpenter (which it installs)
  # provisions any other node.
  system_scheduling = {
    nodeSelector = local.system_node_labels
    tolerations = [{
      key      = "CriticalAddonsOnly"
      operator = "Exists"
      effect   = "NoSchedule"
    }]
  }
}

resource "helm_release" "argocd" {
  name             = "argocd"
  repository       = "https://argoproj.github.io/argo-helm"
  chart            = "argo-cd"
  version          = "10.1.1"
  namespace        = local.argocd_namespace
  create_namespace = true
  wait             = true
  timeout          = 900

  values = [yamlencode({
    global = merge(local.system_scheduling, {
      domain = var.domain == "" ? "argocd.${var.environment}.internal" : "argocd.${var.domain}"
    })
    configs = {
      cm = {
        # Application health, so that the root Application's sync waves wait for each add-on
        # to be healthy before the next wave (CRDs before the objects that use them).
        "resource.customizations.health.argoproj.io_Application" = <<-LUA
          hs = {}
          hs.status = "Progressing"
          hs.message = ""
          if obj.status ~= nil and obj.status.health ~= nil then
            hs.status = obj.status.health.status
            if obj.status.health.message ~= nil then
              hs.message = obj.status.health.message
            end
          end
          return hs
        LUA
      }
      repositories = {
        # Karpenter's chart is published to an OCI registry.
        karpenter = {
          type      = "helm"
          name      = "karpenter"
          url       = "public.ecr.aws/karpenter"
          enableOCI = "true"
        }
      }
    }
  })]

  depends_on = [module.eks]
}

resource "helm_release" "argocd_root" {
  name       = "argocd-root"
  repository = "https://argoproj.github.io/argo-helm"
  chart      = "argocd-apps"
  version    = "2.0.5"
  namespace  = local.argocd_namespace

  values = [yamlencode({
    applications = {
      # The root Application: every file of addons/ is an Application (or the AppProject
      # they belong to), applied in sync-wave order.
      platform = {
        namespace = local.argocd_namespace
        project   = "default"
        source = {
          repoURL        = "https://github.com/${var.github_repository}.git"
          targetRevision = "main"
          path           = "addons"
        }
        destination = {
          server    = "https://kubernetes.default.svc"
          namespace = local.argocd_namespace
        }
        syncPolicy = {
          automated = {
            prune    = true
            selfHeal = true
          }
        }
      }
    }
  })]

  depends_on = [helm_release.argocd]
}
