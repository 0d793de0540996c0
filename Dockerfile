# tradegraph in a container: a static binary plus the seed data.
# Built by docker-compose.yml; see the README ("Using Docker").
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X tradegraph/internal/app.version=docker" -o /out/tradegraph .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tradegraph /usr/local/bin/tradegraph
COPY --from=build /src/data /data
# Inside a container loopback is unreachable from the published port: listen on
# every interface of the container (docker-compose.yml publishes it on the host's
# 127.0.0.1 only).
ENV TRADEGRAPH_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/tradegraph"]
CMD ["serve"]
