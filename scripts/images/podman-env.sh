# Sourced by the image scripts and read by deploy/test: where the images come from and
# how podman runs here (scripts/images/containers.conf says why).
images_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$images_dir/../.." && pwd)
export CONTAINERS_CONF="$images_dir/containers.conf"
# The Debian 12 base every image is built FROM (scripts/images/base.sh makes it).
base_image=${PERISCOPE_BASE_IMAGE:-localhost/periscope-debian:12}
# Host-built artefacts the Dockerfiles copy (scripts/images/stage.sh writes them).
stage_dir="$repo_root/.periscope/images"
image_tag=${PERISCOPE_IMAGE_TAG:-local}
