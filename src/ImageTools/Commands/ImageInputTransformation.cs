using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ImageTools.Stores;

namespace ImageTools.Commands
{
    /// <summary>
    /// Lets every object that stands for an image bind to an -Image parameter: a Docker image (Get-DockerImage), a
    /// containerd image record (Get-ContainerdImage), a registry tag (Get-RegistryTag), and each of them or an Image
    /// after remoting (a Deserialized.ImageTools.* property bag, whose store path is reachable here) becomes the Image
    /// that Get-Image gives for the same store and name. Anything else passes unchanged for the parameter to judge.
    /// </summary>
    internal sealed class ImageInputTransformationAttribute : ArgumentTransformationAttribute
    {
        private const string Deserialized = "Deserialized.ImageTools.";

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            bool many = inputData is IEnumerable && !(inputData is string) && !(inputData is PSObject p && p.BaseObject is string);
            var items = many ? ((IEnumerable)inputData).Cast<object>() : new[] { inputData };
            var images = new List<object>();
            foreach (var raw in items) images.AddRange(ImagesFor(raw));
            return images.Count == 1 && !many ? images[0] : images.ToArray();
        }

        private static IEnumerable<object> ImagesFor(object raw)
        {
            var item = raw is PSObject pso && !(pso.BaseObject is PSCustomObject) ? pso.BaseObject : raw;
            switch (item)
            {
                case DockerImage docker:
                    // One image under all its names: the first name stands for it, as docker image ls lists one ID once.
                    return Select(StoreFactory.Open(docker.StorePath), docker.Id, null).Take(1);
                case ContainerdImage record:
                    return Select(record.Store, record.Name, record.Namespace);
                case RegistryTag tag:
                    return Select(tag.Store, tag.Name, null);
                case PSObject bag when TypeOf(bag) is string type:
                    return FromDeserialized(bag, type);
                default:
                    return new[] { item };
            }
        }

        /// <summary>The ImageTools type a deserialized object was (Image, DockerImage...), or null for anything else.</summary>
        private static string? TypeOf(PSObject bag)
        {
            var name = bag.TypeNames.FirstOrDefault(t => t.StartsWith(Deserialized, StringComparison.Ordinal));
            return name?.Substring(Deserialized.Length);
        }

        private static IEnumerable<object> FromDeserialized(PSObject bag, string type)
        {
            string? storePath = Text(bag, "StorePath");
            if (storePath == null) return new object[] { bag };
            switch (type)
            {
                case nameof(Image):
                    string? name = Text(bag, "Name");
                    var found = Select(StoreFactory.Open(storePath), name ?? Text(bag, "Digest")!, Text(bag, "Namespace"));
                    return name == null ? found.Where(i => i.Name == null).Take(1) : found;
                case nameof(DockerImage):
                    return Select(StoreFactory.Open(storePath), Text(bag, "Id")!, null).Take(1);
                case nameof(ContainerdImage):
                    return Select(StoreFactory.Open(storePath), Text(bag, "Name")!, Text(bag, "Namespace"));
                case nameof(RegistryTag):
                    return Select(StoreFactory.Open(storePath), Text(bag, "Name")!, null);
                default:
                    return new object[] { bag };
            }
        }

        private static string? Text(PSObject bag, string property) => bag.Properties[property]?.Value?.ToString();

        private static IEnumerable<Image> Select(IImageStore store, string name, string? ns)
        {
            var selection = ImageSelector.Select(store, new[] { name }, e => throw e);
            return selection.Selected.Select(s => s.Item).Where(i => ns == null || i.Namespace == ns);
        }
    }
}
