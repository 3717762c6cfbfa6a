using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace PSNetLab.Commands
{
    /// <summary>
    /// Every job of the session as Get-Job sees it: background jobs live in the JobRepository, but
    /// thread jobs and other adapters' jobs only appear through Get-Job and go away through Remove-Job.
    /// </summary>
    internal static class LabJobs
    {
        public static IReadOnlyList<Job> All(PSCmdlet cmdlet) =>
            cmdlet.InvokeCommand.InvokeScript("Get-Job").Select(o => o.BaseObject).OfType<Job>().ToList();

        public static void Remove(PSCmdlet cmdlet, Job job) =>
            cmdlet.InvokeCommand.InvokeScript(false, ScriptBlock.Create("param($Job) Remove-Job -Job $Job -Force"), null, job);
    }
}
