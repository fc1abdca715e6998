# Get-ImageReference on the hand-written manifests of tests/Fixtures/yaml. Every expected reference is stated
# here by hand (normalized forms by Docker's rules), and every line number comes from `grep -n` of the file.

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    $script:root = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../Fixtures/yaml'))

    # The line numbers of the lines holding $Text (fixed string), as grep reports them.
    function script:GrepLines([string] $File, [string] $Text) {
        @(& grep -n -F -e $Text $File | ForEach-Object { [int]($_ -split ':', 2)[0] })
    }

    # The line of the $Occurrence-th (1-based) line holding "image: <written>" or "image: "<written>"".
    function script:ImageLine([string] $File, [string] $Text, [int] $Occurrence = 1) {
        $lines = GrepLines $File $Text
        if ($lines.Count -lt $Occurrence) { throw "grep found '$Text' $($lines.Count) times in $File" }
        $lines[$Occurrence - 1]
    }

    # Compares the objects with the expected rows, in order, field by field.
    function script:AssertReferences($Actual, [object[]] $Expected, [string] $File) {
        $Actual = @($Actual)
        ($Actual | ForEach-Object Reference) -join ', ' | Should -Be (($Expected | ForEach-Object Reference) -join ', ')
        for ($i = 0; $i -lt $Expected.Count; $i++) {
            $e = $Expected[$i]; $a = $Actual[$i]
            $a | Should -BeOfType ([ImageTools.ImageReferenceInfo])
            $a.File | Should -Be $File
            $a.NormalizedReference | Should -Be $e.Normalized -Because $e.Reference
            $a.Line | Should -Be (ImageLine $File $e.Grep $(if ($e.Occurrence) { $e.Occurrence } else { 1 })) -Because $e.Reference
            $a.Kind | Should -Be $e.Kind -Because $e.Reference
            $a.ObjectName | Should -Be $e.Object -Because $e.Reference
            $a.Namespace | Should -Be $e.Namespace -Because $e.Reference
            $a.Container | Should -Be $e.Container -Because $e.Reference
            $a.ContainerType | Should -Be $e.Type -Because $e.Reference
            # The column is where the value starts on its line.
            $lineText = (Get-Content -LiteralPath $File)[$a.Line - 1]
            $lineText.Substring($a.Column - 1) | Should -Match ('^["'']?' + [regex]::Escape($e.Reference))
        }
    }
}

Describe 'Get-ImageReference on Kubernetes manifests' {
    It 'lists the containers and init containers of a Deployment, in the order of the file' {
        $file = Join-Path $root 'manifests/deployment.yaml'
        $expected = @(
            @{ Reference = 'nginx:1.25'; Normalized = 'docker.io/library/nginx:1.25'; Grep = 'image: nginx:1.25'; Kind = 'Deployment'; Object = 'web'; Namespace = 'shop'; Container = 'nginx'; Type = 'Container' }
            @{ Reference = 'quay.io/prometheus/nginx-exporter:v1.1.0'; Normalized = 'quay.io/prometheus/nginx-exporter:v1.1.0'; Grep = 'image: "quay.io/prometheus/nginx-exporter:v1.1.0"'; Kind = 'Deployment'; Object = 'web'; Namespace = 'shop'; Container = 'exporter'; Type = 'Container' }
            @{ Reference = 'docker.io/library/busybox:1.36@sha256:9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7'; Normalized = 'docker.io/library/busybox:1.36@sha256:9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7'; Grep = 'image: docker.io/library/busybox:1.36@sha256:'; Kind = 'Deployment'; Object = 'web'; Namespace = 'shop'; Container = 'fetch-content'; Type = 'InitContainer' }
        )
        AssertReferences (Get-ImageReference -Path $file) $expected $file
    }

    It 'reads every document of a multi-document file: StatefulSet, DaemonSet, Job, CronJob, ReplicaSet, ReplicationController' {
        $file = Join-Path $root 'manifests/workloads.yaml'
        $expected = @(
            @{ Reference = 'postgres:16.2-alpine'; Normalized = 'docker.io/library/postgres:16.2-alpine'; Grep = 'image: postgres:16.2-alpine'; Kind = 'StatefulSet'; Object = 'db'; Namespace = 'shop'; Container = 'postgres'; Type = 'Container' }
            @{ Reference = 'cr.fluentbit.io/fluent/fluent-bit:3.0.4'; Normalized = 'cr.fluentbit.io/fluent/fluent-bit:3.0.4'; Grep = 'image: cr.fluentbit.io/fluent/fluent-bit:3.0.4'; Kind = 'DaemonSet'; Object = 'node-logs'; Namespace = 'kube-system'; Container = 'fluent-bit'; Type = 'Container' }
            @{ Reference = 'registry.example.com:5000/shop/migrations:2024.05.1'; Normalized = 'registry.example.com:5000/shop/migrations:2024.05.1'; Grep = 'image: registry.example.com:5000/shop/migrations:2024.05.1'; Kind = 'Job'; Object = 'migrate'; Namespace = 'shop'; Container = 'migrate'; Type = 'Container' }
            @{ Reference = 'ghcr.io/example/pg-backup:1.4'; Normalized = 'ghcr.io/example/pg-backup:1.4'; Grep = 'image: ghcr.io/example/pg-backup:1.4'; Kind = 'CronJob'; Object = 'nightly-backup'; Namespace = 'shop'; Container = 'backup'; Type = 'Container' }
            @{ Reference = 'us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5'; Normalized = 'us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5'; Grep = 'image: us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5'; Kind = 'ReplicaSet'; Object = 'legacy-frontend'; Namespace = $null; Container = 'php-redis'; Type = 'Container' }
            @{ Reference = 'memcached'; Normalized = 'docker.io/library/memcached:latest'; Grep = 'image: memcached'; Kind = 'ReplicationController'; Object = 'old-cache'; Namespace = 'shop'; Container = 'memcached'; Type = 'Container' }
        )
        AssertReferences (Get-ImageReference -Path $file) $expected $file
    }

    It 'does not read text inside a ConfigMap as an image' {
        $file = Join-Path $root 'manifests/workloads.yaml'
        GrepLines $file 'not-an-image-of-this-deployment' | Should -HaveCount 1
        Get-ImageReference -Path $file | Where-Object Reference -Like 'not-an-image*' | Should -BeNullOrEmpty
    }

    It 'lists the items of a List' {
        $file = Join-Path $root 'manifests/list.yaml'
        $expected = @(
            @{ Reference = 'ghcr.io/example/shop-api:2.3.0'; Normalized = 'ghcr.io/example/shop-api:2.3.0'; Grep = 'image: ghcr.io/example/shop-api:2.3.0'; Kind = 'Deployment'; Object = 'api'; Namespace = 'shop'; Container = 'api'; Type = 'Container' }
            @{ Reference = 'envoyproxy/envoy:v1.30.1'; Normalized = 'docker.io/envoyproxy/envoy:v1.30.1'; Grep = 'image: envoyproxy/envoy:v1.30.1'; Kind = 'Deployment'; Object = 'api'; Namespace = 'shop'; Container = 'envoy'; Type = 'Container' }
            @{ Reference = 'nginx:1.25'; Normalized = 'docker.io/library/nginx:1.25'; Grep = 'image: nginx:1.25'; Kind = 'Pod'; Object = 'toolbox'; Namespace = 'default'; Container = 'toolbox'; Type = 'Container' }
        )
        AssertReferences (Get-ImageReference -Path $file) $expected $file
    }

    It 'lists init, regular and ephemeral containers of a Pod' {
        $file = Join-Path $root 'manifests/nested/pod-debug.yml'
        $expected = @(
            @{ Reference = 'busybox:1.36'; Normalized = 'docker.io/library/busybox:1.36'; Grep = 'image: busybox:1.36'; Kind = 'Pod'; Object = 'debug-target'; Namespace = 'shop'; Container = 'wait-for-db'; Type = 'InitContainer' }
            @{ Reference = 'ghcr.io/example/shop-api:2.3.0'; Normalized = 'ghcr.io/example/shop-api:2.3.0'; Grep = 'image: ghcr.io/example/shop-api:2.3.0'; Kind = 'Pod'; Object = 'debug-target'; Namespace = 'shop'; Container = 'app'; Type = 'Container' }
            @{ Reference = 'nicolaka/netshoot:v0.12'; Normalized = 'docker.io/nicolaka/netshoot:v0.12'; Grep = 'image: nicolaka/netshoot:v0.12'; Kind = 'Pod'; Object = 'debug-target'; Namespace = 'shop'; Container = 'debugger-x7k2p'; Type = 'EphemeralContainer' }
        )
        AssertReferences (Get-ImageReference -Path $file) $expected $file
    }

    It 'searches a folder recursively for *.yaml and *.yml only' {
        $all = Get-ImageReference -Path (Join-Path $root 'manifests')
        $files = $all | ForEach-Object File | Select-Object -Unique
        $expectedFiles = 'deployment.yaml', 'list.yaml', 'workloads.yaml', 'nested/pod-debug.yml' | ForEach-Object { Join-Path $root "manifests/$_" }
        $files | Should -Be $expectedFiles
        $all | Should -HaveCount 15
        $all | Where-Object Reference -Like 'should-not-be-read*' | Should -BeNullOrEmpty
    }

    It 'expands wildcards in -Path' {
        $files = Get-ImageReference -Path (Join-Path $root 'manifests/*.yaml') | ForEach-Object File | Select-Object -Unique
        $files | Should -Be ('deployment.yaml', 'list.yaml', 'workloads.yaml' | ForEach-Object { Join-Path $root "manifests/$_" })
    }

    It 'takes files piped from Get-ChildItem, and path strings' {
        $fromFiles = Get-ChildItem -Path (Join-Path $root 'manifests') -Recurse -Include *.yaml, *.yml | Get-ImageReference
        $fromFiles | Should -HaveCount 15
        $fromStrings = (Join-Path $root 'manifests/deployment.yaml'), (Join-Path $root 'manifests/list.yaml') | Get-ImageReference
        $fromStrings | Should -HaveCount 6
    }

    It 'takes -LiteralPath without expanding wildcards' {
        $odd = Join-Path $TestDrive 'app[1].yaml'
        Copy-Item -LiteralPath (Join-Path $root 'manifests/deployment.yaml') -Destination $odd
        $refs = Get-ImageReference -LiteralPath $odd
        $refs | Should -HaveCount 3
        $refs[0].File | Should -Be $odd
    }

    It 'counts lines the same in a CRLF file with a byte order mark' {
        $source = Join-Path $root 'manifests/workloads.yaml'
        $crlf = Join-Path $TestDrive 'workloads-crlf.yaml'
        $text = [System.IO.File]::ReadAllText($source).Replace("`n", "`r`n")
        [System.IO.File]::WriteAllText($crlf, $text, [System.Text.UTF8Encoding]::new($true))
        $expected = Get-ImageReference -Path $source | ForEach-Object { "$($_.Reference)@$($_.Line):$($_.Column)" }
        Get-ImageReference -LiteralPath $crlf | ForEach-Object { "$($_.Reference)@$($_.Line):$($_.Column)" } | Should -Be $expected
    }

    It 'writes FileNotFound for a path that does not exist' {
        $refs = Get-ImageReference -Path (Join-Path $TestDrive 'nope.yaml') -ErrorVariable errs -ErrorAction SilentlyContinue
        $refs | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'FileNotFound*'
    }
}

Describe 'Get-ImageReference on Helm-rendered output' {
    BeforeAll {
        $script:helm = Join-Path $root 'helm/rendered.yaml'
        $script:helmRefs = @(Get-ImageReference -Path $helm)
    }

    It 'lists the images of every document, by file line' {
        $expected = @(
            @{ Reference = 'docker.io/bitnami/redis:7.2.4-debian-12-r9'; Normalized = 'docker.io/bitnami/redis:7.2.4-debian-12-r9'; Grep = 'image: docker.io/bitnami/redis:7.2.4-debian-12-r9'; Kind = 'StatefulSet'; Object = 'shop-redis-master'; Namespace = 'shop'; Container = 'redis'; Type = 'Container' }
            @{ Reference = 'docker.io/bitnami/os-shell:12-debian-12-r16'; Normalized = 'docker.io/bitnami/os-shell:12-debian-12-r16'; Grep = 'image: "docker.io/bitnami/os-shell:12-debian-12-r16"'; Kind = 'Deployment'; Object = 'shop'; Namespace = $null; Container = 'wait-for-redis'; Type = 'InitContainer' }
            @{ Reference = 'ghcr.io/example/shop-api:2.3.0'; Normalized = 'ghcr.io/example/shop-api:2.3.0'; Grep = 'image: "ghcr.io/example/shop-api:2.3.0"'; Occurrence = 1; Kind = 'Deployment'; Object = 'shop'; Namespace = $null; Container = 'shop'; Type = 'Container' }
            @{ Reference = 'ghcr.io/example/shop-api:2.3.0'; Normalized = 'ghcr.io/example/shop-api:2.3.0'; Grep = 'image: "ghcr.io/example/shop-api:2.3.0"'; Occurrence = 2; Kind = 'Job'; Object = 'shop-migrate'; Namespace = $null; Container = 'migrate'; Type = 'Container' }
            @{ Reference = 'busybox'; Normalized = 'docker.io/library/busybox:latest'; Grep = 'image: busybox'; Kind = 'Pod'; Object = 'shop-test-connection'; Namespace = $null; Container = 'wget'; Type = 'Container' }
        )
        AssertReferences $helmRefs $expected $helm
    }

    It 'keeps the # Source: comment of each document' {
        $lines = Get-Content -LiteralPath $helm
        foreach ($ref in $helmRefs) {
            # The nearest "# Source:" line above the image, as grep sees it.
            $sourceLine = GrepLines $helm '# Source: ' | Where-Object { $_ -lt $ref.Line } | Select-Object -Last 1
            $ref.Source | Should -Be ($lines[$sourceLine - 1] -replace '^# Source: ', '') -Because $ref.Reference
        }
        $helmRefs[0].Source | Should -Be 'shop/charts/redis/templates/master/application.yaml'
    }
}

Describe 'Get-ImageReference on Compose files' {
    It 'lists services.NAME.image, following merge keys and container_name, skipping build-only services' {
        $file = Join-Path $root 'compose/compose.yaml'
        # The worker's image comes from the x-defaults anchor through <<: *defaults, so its line is the anchor's.
        $expected = @(
            @{ Reference = 'ghcr.io/example/shop-worker:2.3.0'; Normalized = 'ghcr.io/example/shop-worker:2.3.0'; Grep = 'image: ghcr.io/example/shop-worker:2.3.0'; Kind = 'Compose'; Object = 'worker'; Namespace = $null; Container = 'worker'; Type = 'Service' }
            @{ Reference = 'docker.io/library/nginx:1.25'; Normalized = 'docker.io/library/nginx:1.25'; Grep = 'image: docker.io/library/nginx:1.25'; Kind = 'Compose'; Object = 'web'; Namespace = $null; Container = 'web'; Type = 'Service' }
            @{ Reference = 'ghcr.io/example/shop-api:2.3.0'; Normalized = 'ghcr.io/example/shop-api:2.3.0'; Grep = 'image: "ghcr.io/example/shop-api:2.3.0"'; Kind = 'Compose'; Object = 'api'; Namespace = $null; Container = 'shop-api'; Type = 'Service' }
            @{ Reference = 'redis:7.2-alpine'; Normalized = 'docker.io/library/redis:7.2-alpine'; Grep = "image: 'redis:7.2-alpine'"; Kind = 'Compose'; Object = 'cache'; Namespace = $null; Container = 'cache'; Type = 'Service' }
        )
        AssertReferences (Get-ImageReference -Path $file) $expected $file
    }
}

Describe 'Get-ImageReference -Unique' {
    It 'keeps one object per normalized reference, the first place it was seen' {
        $paths = (Join-Path $root 'manifests'), (Join-Path $root 'helm'), (Join-Path $root 'compose')
        $all = @(Get-ImageReference -Path $paths)
        $unique = @(Get-ImageReference -Path $paths -Unique)
        $distinct = @($all | ForEach-Object NormalizedReference | Select-Object -Unique)
        $distinct.Count | Should -BeLessThan $all.Count
        $unique.Count | Should -Be $distinct.Count
        ($unique | ForEach-Object NormalizedReference) | Should -Be $distinct
        foreach ($u in $unique) {
            $first = $all | Where-Object NormalizedReference -EQ $u.NormalizedReference | Select-Object -First 1
            "$($u.File):$($u.Line)" | Should -Be "$($first.File):$($first.Line)"
        }
    }

    It 'treats differently written forms of the same image as one' {
        $deployment = Join-Path $root 'manifests/deployment.yaml'
        $compose = Join-Path $root 'compose/compose.yaml'
        $nginx = @(Get-ImageReference -Path $deployment, $compose -Unique | Where-Object NormalizedReference -EQ 'docker.io/library/nginx:1.25')
        $nginx | Should -HaveCount 1
        $nginx[0].Reference | Should -Be 'nginx:1.25'
        $nginx[0].File | Should -Be $deployment
        @(Get-ImageReference -Path $deployment, $compose | Where-Object NormalizedReference -EQ 'docker.io/library/nginx:1.25') | Should -HaveCount 2
    }
}

Describe 'Get-ImageReference on bad input' {
    It 'reports a malformed document with its file and line, and still lists the other documents' {
        $file = Join-Path $root 'broken/malformed.yaml'
        $refs = @(Get-ImageReference -Path $file -ErrorVariable errs -ErrorAction SilentlyContinue)
        $expected = @(
            @{ Reference = 'alpine:3.19'; Normalized = 'docker.io/library/alpine:3.19'; Grep = 'image: alpine:3.19'; Kind = 'Deployment'; Object = 'before-the-bad-one'; Namespace = $null; Container = 'app'; Type = 'Container' }
            @{ Reference = 'redis:7.2-alpine'; Normalized = 'docker.io/library/redis:7.2-alpine'; Grep = 'image: redis:7.2-alpine'; Kind = 'Pod'; Object = 'after-the-bad-one'; Namespace = $null; Container = 'app'; Type = 'Container' }
        )
        AssertReferences $refs $expected $file
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'MalformedContent*'
        $errs[0].TargetObject | Should -Be $file
        # The error's line lies inside the bad document: after its name, before the next ---.
        $errs[0].Exception.Message -match ('^' + [regex]::Escape($file) + ':(\d+):') | Should -BeTrue
        $line = [int]$Matches[1]
        $separators = GrepLines $file '---'
        $line | Should -BeGreaterThan (GrepLines $file 'name: the-bad-one')[0]
        $line | Should -BeLessThan $separators[1]
        $errs[0].Exception.Message | Should -Match "starting at line $($separators[0])\b"
    }

    It 'still reads the files after one with a malformed document' {
        $refs = @(Get-ImageReference -Path (Join-Path $root 'broken/malformed.yaml'), (Join-Path $root 'manifests/deployment.yaml') -ErrorAction SilentlyContinue)
        $refs | Should -HaveCount 5
    }

    It 'writes InvalidReference for each invalid reference, naming file and line, and does not output it' {
        $file = Join-Path $root 'broken/invalid.yaml'
        $refs = @(Get-ImageReference -Path $file -ErrorVariable errs -ErrorAction SilentlyContinue)
        $refs | Should -HaveCount 1
        $refs[0].Reference | Should -Be 'traefik:v3.0'
        $refs[0].Line | Should -Be (ImageLine $file 'image: traefik:v3.0')
        $invalid = @(
            @{ Written = 'shop/Frontend:1.0'; Grep = 'image: shop/Frontend:1.0'; Container = 'uppercase' }
            @{ Written = 'ghcr.io/example/shop-api:'; Grep = 'image: "ghcr.io/example/shop-api:"'; Container = 'missing-tag-value' }
            @{ Written = ''; Grep = 'image: ""'; Container = 'empty' }
            @{ Written = 'alpine@sha256:1234'; Grep = 'image: alpine@sha256:1234'; Container = 'bad-digest' }
        )
        $errs | Should -HaveCount $invalid.Count
        for ($i = 0; $i -lt $invalid.Count; $i++) {
            $e = $errs[$i]; $want = $invalid[$i]
            $e.FullyQualifiedErrorId | Should -BeLike 'InvalidReference*'
            $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $e.Exception.Message | Should -BeLike "$file`:$(ImageLine $file $want.Grep):*"
            $e.TargetObject | Should -BeOfType ([ImageTools.ImageReferenceInfo])
            $e.TargetObject.Reference | Should -Be $want.Written
            $e.TargetObject.Container | Should -Be $want.Container
            $e.TargetObject.NormalizedReference | Should -BeNullOrEmpty
        }
    }

    It 'skips references with template placeholders with a warning, not an error' {
        $file = Join-Path $root 'templated/deployment.yaml'
        $refs = @(Get-ImageReference -Path $file -WarningVariable warns -ErrorVariable errs -WarningAction SilentlyContinue)
        $errs | Should -HaveCount 0
        $refs | Should -HaveCount 1
        $refs[0].Reference | Should -Be 'busybox:1.36'
        $refs[0].ContainerType | Should -Be 'InitContainer'
        $warns | Should -HaveCount 2
        # The quoted template, and the unquoted one that YAML reads as a flow mapping.
        "$($warns[0])" | Should -BeLike "$file`:$(ImageLine $file 'image: "{{ .Values.image.repository }}'):*{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}*"
        "$($warns[1])" | Should -BeLike "$file`:$(ImageLine $file 'image: {{ .Values.sidecar.image }}'):*'{{ .Values.sidecar.image }}'*"
    }

    It 'skips Compose ${VAR} interpolation with a warning' {
        $file = Join-Path $root 'templated/compose.yaml'
        $refs = @(Get-ImageReference -Path $file -WarningVariable warns -ErrorVariable errs -WarningAction SilentlyContinue)
        $errs | Should -HaveCount 0
        $refs.Reference | Should -Be 'postgres:16.2-alpine'
        $warns | Should -HaveCount 1
        "$($warns[0])" | Should -BeLike "$file`:$(ImageLine $file 'WEB_TAG'):*"
    }
}

Describe 'Get-ImageReference in the pipeline' {
    It 'binds Reference to a parameter aliased Reference by property name, as Save-Image -Name is' {
        function Receive-Name {
            param([Parameter(Mandatory, ValueFromPipelineByPropertyName)][Alias('Reference')][string] $Name)
            process { $Name }
        }
        $file = Join-Path $root 'manifests/deployment.yaml'
        Get-ImageReference -Path $file | Receive-Name | Should -Be 'nginx:1.25', 'quay.io/prometheus/nginx-exporter:v1.1.0', 'docker.io/library/busybox:1.36@sha256:9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7'
    }

    It 'declares its output type and has a table view' {
        (Get-Command Get-ImageReference).OutputType.Type | Should -Be ([ImageTools.ImageReferenceInfo])
        $table = Get-ImageReference -Path (Join-Path $root 'manifests/deployment.yaml') | Format-Table | Out-String -Width 200
        $table | Should -Match 'Reference\s+Kind\s+ObjectName\s+Container\s+Location'
        $table | Should -Match 'deployment\.yaml:\d+'
    }
}
