using System.Runtime.InteropServices;

namespace FrontDesk.Knowledge.Text;

// The few libmecab entry points the tagger uses, resolved from a library path given at run
// time, so a missing or misplaced library is a value (null) rather than a DllNotFoundException.
internal sealed unsafe class MeCabNative
{
    private readonly delegate* unmanaged[Cdecl]<byte*, nint> modelNew2;
    private readonly delegate* unmanaged[Cdecl]<nint, nint> modelNewTagger;
    private readonly delegate* unmanaged[Cdecl]<nint, nint> modelNewLattice;
    private readonly delegate* unmanaged[Cdecl]<nint, void> destroyTagger;
    private readonly delegate* unmanaged[Cdecl]<nint, void> destroyLattice;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, nuint, void> latticeSetSentence2;
    private readonly delegate* unmanaged[Cdecl]<nint, nint, int> parseLattice;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*> latticeToStr;
    private readonly delegate* unmanaged[Cdecl]<nint, void> latticeClear;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*> strError;

    private MeCabNative(nint library)
    {
        modelNew2 = (delegate* unmanaged[Cdecl]<byte*, nint>)NativeLibrary.GetExport(library, "mecab_model_new2");
        modelNewTagger = (delegate* unmanaged[Cdecl]<nint, nint>)NativeLibrary.GetExport(library, "mecab_model_new_tagger");
        modelNewLattice = (delegate* unmanaged[Cdecl]<nint, nint>)NativeLibrary.GetExport(library, "mecab_model_new_lattice");
        destroyTagger = (delegate* unmanaged[Cdecl]<nint, void>)NativeLibrary.GetExport(library, "mecab_destroy");
        destroyLattice = (delegate* unmanaged[Cdecl]<nint, void>)NativeLibrary.GetExport(library, "mecab_lattice_destroy");
        latticeSetSentence2 = (delegate* unmanaged[Cdecl]<nint, byte*, nuint, void>)NativeLibrary.GetExport(library, "mecab_lattice_set_sentence2");
        parseLattice = (delegate* unmanaged[Cdecl]<nint, nint, int>)NativeLibrary.GetExport(library, "mecab_parse_lattice");
        latticeToStr = (delegate* unmanaged[Cdecl]<nint, byte*>)NativeLibrary.GetExport(library, "mecab_lattice_tostr");
        latticeClear = (delegate* unmanaged[Cdecl]<nint, void>)NativeLibrary.GetExport(library, "mecab_lattice_clear");
        strError = (delegate* unmanaged[Cdecl]<nint, byte*>)NativeLibrary.GetExport(library, "mecab_strerror");
    }

    public static MeCabNative? Load(string libraryPath, out string? problem)
    {
        if (!NativeLibrary.TryLoad(libraryPath, out var library))
        {
            problem = $"the MeCab library '{libraryPath}' could not be loaded";
            return null;
        }

        try
        {
            problem = null;
            return new MeCabNative(library);
        }
        catch (EntryPointNotFoundException e)
        {
            problem = $"the library '{libraryPath}' is not a usable libmecab ({e.Message})";
            return null;
        }
    }

    public nint NewModel(string arguments, out string? problem)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(arguments + "\0");
        nint model;
        fixed (byte* p = bytes)
        {
            model = modelNew2(p);
        }

        problem = model == 0 ? Marshal.PtrToStringUTF8((nint)strError(0)) ?? "unknown error" : null;
        return model;
    }

    public nint NewTagger(nint model) => modelNewTagger(model);

    public nint NewLattice(nint model) => modelNewLattice(model);

    public void DestroyTagger(nint tagger) => destroyTagger(tagger);

    public void DestroyLattice(nint lattice) => destroyLattice(lattice);

    // MeCab keeps a pointer to the sentence until the lattice is cleared, so the caller pins the
    // bytes for the whole parse and reads the result before unpinning.
    public string? Parse(nint tagger, nint lattice, byte* sentence, int length)
    {
        latticeSetSentence2(lattice, sentence, (nuint)length);
        try
        {
            return parseLattice(tagger, lattice) == 0 ? null : Marshal.PtrToStringUTF8((nint)latticeToStr(lattice));
        }
        finally
        {
            latticeClear(lattice);
        }
    }
}
