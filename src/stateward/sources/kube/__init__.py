"""Source ``kube``: the objects of a live Kubernetes cluster, read through its API.

``location`` parses ``kube://`` locations, ``client`` connects (kubeconfig or in-cluster) and
reads JSON, ``discovery`` finds every listable kind, ``source`` lists them into resources.
"""
