"""A throwaway local JupyterHub for tests/test_jupyterhub.py: everything it needs comes from NNW_HUB_* variables.

SharedPasswordAuthenticator (JupyterHub's dummy authenticator with one password; DummyAuthenticator.password is
deprecated since 5.3) and SimpleLocalProcessSpawner (one home folder per user under NNW_HUB_ROOT, no system users).
Never for a real class: see deploy/jupyterhub/ for that.
"""
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (traitlets' config loader defines it)

root = Path(os.environ["NNW_HUB_ROOT"])
venv_bin = Path(sys.executable).parent

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(os.environ["NNW_HUB_PORT"])
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ["NNW_HUB_API_PORT"])
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['NNW_HUB_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.command = [os.environ["NNW_HUB_PROXY_COMMAND"]]
c.ConfigurableHTTPProxy.pid_file = str(root / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{root / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(root / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(root / "jupyterhub.pid")

c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["NNW_HUB_PASSWORD"]
c.Authenticator.allow_existing_users = True  # the students the admin created through the REST API, nobody else

# The test is an admin service: it creates the students and starts their servers through the REST API.
c.JupyterHub.services = [{"name": "nnw-test-admin", "api_token": os.environ["NNW_HUB_ADMIN_TOKEN"]}]
c.JupyterHub.load_roles = [{"name": "admin", "services": ["nnw-test-admin"]}]

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(root / "home" / "{username}")
c.Spawner.cmd = [str(venv_bin / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
if os.geteuid() == 0:  # CI containers run as root; jupyter_server refuses that unless told
    c.Spawner.args = ["--allow-root"]
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 90
# What deploy/jupyterhub/config.yaml sets for every student: classroom mode and a JAX cache inside their own home.
c.Spawner.environment = {
    "NNWIDGETS_CLASSROOM": "1",
    "JAX_COMPILATION_CACHE_DIR": lambda spawner: str(Path(spawner.home_dir) / ".cache" / "jax"),
    "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
}
