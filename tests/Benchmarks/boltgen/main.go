// boltgen writes a containerd 1.6 metadata database (io.containerd.metadata.v1.bolt/meta.db) with many content
// records, through the real bbolt library, for benchmarks at sizes the import route is too slow to reach.
//
//	boltgen gen <meta.db> <images> [namespace]   n images: n manifests + n configs + 1 shared layer = 2n+1 content records
//	boltgen check <meta.db> [namespace]          bbolt's own consistency check (tx.Check), then the record counts
//
// Schema (containerd core/metadata/buckets.go): v1/version = varint(3);
// v1/<ns>/content/blob/<digest>/{createdat, updatedat, size (varint), labels/{...}};
// v1/<ns>/images/<name>/{createdat, updatedat, target/{digest, mediatype, size}}.
// Build without network: GO111MODULE=off GOPATH=/usr/share/gocode go build (Debian golang-go, golang-github-coreos-bbolt-dev).
package main

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

func varint(v int64) []byte {
	b := make([]byte, binary.MaxVarintLen64)
	return b[:binary.PutVarint(b, v)]
}

func stamp(t time.Time) []byte {
	b, err := t.MarshalBinary()
	if err != nil {
		panic(err)
	}
	return b
}

func digest(data []byte) string { return fmt.Sprintf("sha256:%x", sha256.Sum256(data)) }

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func putContent(blobs *bolt.Bucket, d string, size int64, labels map[string]string, now []byte) error {
	b, err := blobs.CreateBucketIfNotExists([]byte(d))
	if err != nil {
		return err
	}
	for k, v := range map[string][]byte{"createdat": now, "updatedat": now, "size": varint(size)} {
		if err := b.Put([]byte(k), v); err != nil {
			return err
		}
	}
	if len(labels) > 0 {
		lb, err := b.CreateBucketIfNotExists([]byte("labels"))
		if err != nil {
			return err
		}
		for k, v := range labels {
			if err := lb.Put([]byte(k), []byte(v)); err != nil {
				return err
			}
		}
	}
	return nil
}

func gen(path string, n int, ns string) {
	db, err := bolt.Open(path, 0644, &bolt.Options{NoSync: true, NoFreelistSync: false})
	must(err)
	defer db.Close()
	layer := []byte("a layer shared by every image")
	layerDigest := digest(layer)
	now := stamp(time.Now().UTC())
	const batch = 2000
	for start := 0; start < n; start += batch {
		must(db.Update(func(tx *bolt.Tx) error {
			v1, err := tx.CreateBucketIfNotExists([]byte("v1"))
			if err != nil {
				return err
			}
			if err := v1.Put([]byte("version"), varint(3)); err != nil {
				return err
			}
			nsb, err := v1.CreateBucketIfNotExists([]byte(ns))
			if err != nil {
				return err
			}
			content, err := nsb.CreateBucketIfNotExists([]byte("content"))
			if err != nil {
				return err
			}
			blobs, err := content.CreateBucketIfNotExists([]byte("blob"))
			if err != nil {
				return err
			}
			images, err := nsb.CreateBucketIfNotExists([]byte("images"))
			if err != nil {
				return err
			}
			if start == 0 {
				if err := putContent(blobs, layerDigest, int64(len(layer)), nil, now); err != nil {
					return err
				}
			}
			for i := start; i < n && i < start+batch; i++ {
				config := []byte(fmt.Sprintf(`{"architecture":"amd64","os":"linux","config":{"Env":["I=%d"]},"rootfs":{"type":"layers","diff_ids":["%s"]}}`, i, layerDigest))
				configDigest := digest(config)
				manifest := []byte(fmt.Sprintf(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}]}`,
					configDigest, len(config), layerDigest, len(layer)))
				manifestDigest := digest(manifest)
				if err := putContent(blobs, configDigest, int64(len(config)), nil, now); err != nil {
					return err
				}
				if err := putContent(blobs, manifestDigest, int64(len(manifest)), map[string]string{
					"containerd.io/gc.ref.content.config": configDigest,
					"containerd.io/gc.ref.content.l.0":    layerDigest,
				}, now); err != nil {
					return err
				}
				img, err := images.CreateBucket([]byte(fmt.Sprintf("bench.example/img%06d:1", i)))
				if err != nil {
					return err
				}
				for k, v := range map[string][]byte{"createdat": now, "updatedat": now} {
					if err := img.Put([]byte(k), v); err != nil {
						return err
					}
				}
				target, err := img.CreateBucket([]byte("target"))
				if err != nil {
					return err
				}
				for k, v := range map[string][]byte{"digest": []byte(manifestDigest), "mediatype": []byte("application/vnd.oci.image.manifest.v1+json"), "size": varint(int64(len(manifest)))} {
					if err := target.Put([]byte(k), v); err != nil {
						return err
					}
				}
			}
			return nil
		}))
	}
	must(db.Sync())
}

func check(path, ns string) {
	db, err := bolt.Open(path, 0444, &bolt.Options{ReadOnly: true})
	must(err)
	defer db.Close()
	must(db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		var contents, images int
		if nsb := tx.Bucket([]byte("v1")).Bucket([]byte(ns)); nsb != nil {
			if b := nsb.Bucket([]byte("content")).Bucket([]byte("blob")); b != nil {
				_ = b.ForEach(func(k, v []byte) error {
					if v == nil {
						contents++
					}
					return nil
				})
			}
			if b := nsb.Bucket([]byte("images")); b != nil {
				_ = b.ForEach(func(k, v []byte) error {
					if v == nil {
						images++
					}
					return nil
				})
			}
		}
		fmt.Printf("ok (tx.Check): page size %d, size %d bytes, txid %d; namespace %s: %d content records, %d images\n",
			db.Info().PageSize, tx.Size(), tx.ID(), ns, contents, images)
		return nil
	}))
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: boltgen gen <meta.db> <images> [namespace] | boltgen check <meta.db> [namespace]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "gen":
		n, err := strconv.Atoi(os.Args[3])
		must(err)
		ns := "k8s.io"
		if len(os.Args) > 4 {
			ns = os.Args[4]
		}
		gen(os.Args[2], n, ns)
	case "check":
		ns := "k8s.io"
		if len(os.Args) > 3 {
			ns = os.Args[3]
		}
		check(os.Args[2], ns)
	default:
		fmt.Fprintln(os.Stderr, "unknown command", os.Args[1])
		os.Exit(2)
	}
}
