// The stand-in bases live in scripts/lib/ because the benchmark builds the images too.
export { BASES, buildImage, imageSize, importStandInBases, podman, PODMAN_RUN_FLAGS } from '../../scripts/lib/stand-in-images.mjs';
