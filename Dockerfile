# hookkit's container image: the mock on port 4010 by default, every hookkit command by name.
#
#   make image                          # docker build, tagged hookkit:<git version> and hookkit:latest
#   docker run --rm -p 4010:4010 hookkit
#   docker run --rm hookkit check --base-url https://staging.example.com --dry-run
#
# Build stage: the binary comes from scripts/build-static.sh, which cmd/hookkit's tests
# also run, so the flags used here are tested without a Docker engine.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
RUN scripts/build-static.sh /out/hookkit "$VERSION"

# Run stage: distroless static (CA certificates for https targets, /etc/passwd with the
# nonroot user, no shell, no package manager), as uid 65532.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/hookkit /usr/local/bin/hookkit
USER nonroot:nonroot
EXPOSE 4010
ENTRYPOINT ["hookkit"]
CMD ["mock", "--addr", "0.0.0.0:4010"]
