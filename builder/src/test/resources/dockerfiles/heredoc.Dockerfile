# syntax=docker/dockerfile:1
FROM alpine
ARG FOO=bar
RUN <<FILE1 cat > file1 && <<FILE2 cat > file2
I am
first
FILE1
I am
second
FILE2
COPY <<-EOT /script.sh
	echo "hello ${FOO}"
	EOT
RUN <<EOT bash
  set -ex
  apt-get update
EOT
ENTRYPOINT ash /script.sh
