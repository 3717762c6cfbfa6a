using System.Management.Automation;

namespace PSNetLab.Servers.Hosting
{
    /// <summary>Remove-Module PSNetLab stops every server, so nothing is left listening after a lab.</summary>
    public sealed class ServerCleanup : IModuleAssemblyCleanup
    {
        public void OnRemove(PSModuleInfo psModuleInfo) => LiveServers.StopAll();
    }
}
